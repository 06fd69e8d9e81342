package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: the LSTM objective of ADBench (microsoft/ADBench, {@code src/cpp/shared/lstm.h}),
 * ported to Java by hand. The C++ walks its flat parameter and state arrays with pointers
 * ({@code WeightOrBias}, {@code LayerState}, ...); here each pointer is an array and an offset.
 *
 * <p>Layouts, as in ADBench: {@code mainParams} holds per layer {@code 8 b} values (weights of the
 * forget, input, output gates and the change, then their biases, {@code b} each); {@code extraParams}
 * holds the input weights, output weights and output biases ({@code b} each); {@code state} holds
 * per layer the hidden state then the cell state ({@code b} each); {@code sequence} is {@code c}
 * characters of {@code b} values.
 *
 * <p>Written as the C++ is: {@code lstmPredict} passes {@code layerOutput}, which for layers after
 * the first is {@code state} itself, to {@code lstmModel}, which writes into {@code state}; rad
 * versions that call (a reference comparison, and a copy of {@code lstmModel} differentiated with
 * those two parameters as one array).
 */
public final class Lstm {
  private Lstm() {}

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** log(sum(exp(v)) + 2), ADBench's variant of logsumexp for this objective. */
  static double logsumexp(double[] v, int size) {
    double sum = 0.0;
    for (int i = 0; i < size; ++i) {
      sum += Math.exp(v[i]);
    }
    sum += 2;
    return Math.log(sum);
  }

  /**
   * One LSTM layer on one input, updating the layer's hidden and cell state in place. The weights
   * and biases start at {@code p}, the state at {@code s}, the input at {@code in} of {@code input}.
   */
  static void lstmModel(int hsize, double[] params, int p, double[] state, int s, double[] input, int in) {
    for (int i = 0; i < hsize; ++i) {
      double forget = sigmoid(input[in + i] * params[p + i] + params[p + 4 * hsize + i]);
      double ingate = sigmoid(state[s + i] * params[p + hsize + i] + params[p + 5 * hsize + i]);
      double outgate = sigmoid(input[in + i] * params[p + 2 * hsize + i] + params[p + 6 * hsize + i]);
      double change = Math.tanh(state[s + i] * params[p + 3 * hsize + i] + params[p + 7 * hsize + i]);

      state[s + hsize + i] = state[s + hsize + i] * forget + ingate * change;
      state[s + i] = outgate * Math.tanh(state[s + hsize + i]);
    }
  }

  /** The prediction for one input: through every layer, then the output weights and biases. */
  static void lstmPredict(int l, int b, double[] mainParams, double[] extraParams, double[] state,
      double[] input, int in, double[] output) {
    for (int i = 0; i < b; ++i) {
      output[i] = input[in + i] * extraParams[i];
    }

    double[] layerOutput = output;
    int layerOutputOffset = 0;

    for (int i = 0; i < l; ++i) {
      // as ADBench writes it: for i > 0, layerOutput is state itself (rad versions the call)
      lstmModel(b, mainParams, 8 * b * i, state, 2 * b * i, layerOutput, layerOutputOffset);
      layerOutput = state;
      layerOutputOffset = 2 * b * i;
    }

    for (int i = 0; i < b; ++i) {
      output[i] = layerOutput[layerOutputOffset + i] * extraParams[b + i] + extraParams[2 * b + i];
    }
  }

  /** The ADBench LSTM loss: minus the mean log-likelihood of each next character. */
  @Differentiable(wrt = {"mainParams", "extraParams"})
  public static double objective(int l, int c, int b, double[] mainParams, double[] extraParams,
      double[] state, double[] sequence) {
    double total = 0.0;
    int count = 0;
    double[] s = state.clone(); // the C++ takes the state by value
    double[] ypred = new double[b];
    double[] ynorm = new double[b];
    for (int t = 0; t < c - 1; ++t) {
      lstmPredict(l, b, mainParams, extraParams, s, sequence, t * b, ypred);

      double lse = logsumexp(ypred, b);
      for (int i = 0; i < b; i++) {
        ynorm[i] = ypred[i] - lse;
      }

      for (int i = 0; i < b; i++) {
        total += sequence[(t + 1) * b + i] * ynorm[i];
      }

      count += b;
    }

    return -total / count;
  }
}
