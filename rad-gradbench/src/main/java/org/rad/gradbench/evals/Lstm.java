package org.rad.gradbench.evals;

import org.rad.annotations.Differentiable;

/**
 * GradBench's lstm eval (ADBench's LSTM, whose weight matrices are diagonal): the mean
 * cross-entropy of predicting each character of {@code sequence} from the previous ones.
 *
 * <p>Layout, as the eval sends it: row {@code 2i} of {@code mainParams} holds layer i's weights
 * for the forget, input, output gates and the change (b each), row {@code 2i + 1} the biases in
 * the same order; {@code extraParams} rows are the input weight, output weight and output bias;
 * {@code state} rows {@code 2i} and {@code 2i + 1} are layer i's hidden and cell state.
 */
public final class Lstm {

  private Lstm() {}

  @Differentiable(wrt = {"mainParams", "extraParams"})
  public static double objective(double[][] mainParams, double[][] extraParams,
      double[][] state, double[][] sequence) {
    int layers = mainParams.length / 2;
    int b = sequence[0].length;
    int c = sequence.length;
    // The state changes as the sequence is read, so it is copied: h[layer + 1] is layer's
    // hidden state, h[0] the input of the first layer; cells[layer] its cell state. (One array
    // for the inputs and hidden states lets each layer read the one below and write its own
    // without passing two rows that rad would have to assume may be the same array.)
    double[][] h = new double[layers + 1][b];
    double[][] cells = new double[layers][b];
    for (int layer = 0; layer < layers; layer++) {
      for (int j = 0; j < b; j++) {
        h[layer + 1][j] = state[2 * layer][j];
        cells[layer][j] = state[2 * layer + 1][j];
      }
    }
    double[] ypred = new double[b];
    double[] ynorm = new double[b];
    double total = 0;
    int count = 0;
    for (int t = 0; t < c - 1; t++) {
      predict(mainParams, extraParams, h, cells, sequence[t], ypred);
      double lse = logSumExpPlus2(ypred);
      for (int i = 0; i < b; i++) {
        ynorm[i] = ypred[i] - lse;
      }
      for (int i = 0; i < b; i++) {
        total += sequence[t + 1][i] * ynorm[i];
      }
      count += b;
    }
    return -total / count;
  }

  /** One step of the network: reads {@code input}, updates the states, writes the prediction. */
  static void predict(double[][] mainParams, double[][] extraParams, double[][] h,
      double[][] cells, double[] input, double[] output) {
    int b = input.length;
    int layers = mainParams.length / 2;
    for (int i = 0; i < b; i++) {
      h[0][i] = input[i] * extraParams[0][i];
    }
    for (int layer = 0; layer < layers; layer++) {
      cell(mainParams[2 * layer], mainParams[2 * layer + 1], h, cells[layer], layer);
    }
    for (int i = 0; i < b; i++) {
      output[i] = h[layers][i] * extraParams[1][i] + extraParams[2][i];
    }
  }

  /** Layer {@code layer}: updates its hidden state h[layer + 1] and cell from input h[layer]. */
  static void cell(double[] weight, double[] bias, double[][] h, double[] cell, int layer) {
    int b = cell.length;
    for (int i = 0; i < b; i++) {
      double input = h[layer][i];
      double hidden = h[layer + 1][i];
      double forget = sigmoid(input * weight[i] + bias[i]);
      double ingate = sigmoid(hidden * weight[b + i] + bias[b + i]);
      double outgate = sigmoid(input * weight[2 * b + i] + bias[2 * b + i]);
      double change = Math.tanh(hidden * weight[3 * b + i] + bias[3 * b + i]);
      cell[i] = cell[i] * forget + ingate * change;
      h[layer + 1][i] = outgate * Math.tanh(cell[i]);
    }
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** log(sum(exp(x)) + 2), ADBench's normalisation (the 2 is part of the model). */
  static double logSumExpPlus2(double[] x) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += Math.exp(x[i]);
    }
    sum += 2;
    return Math.log(sum);
  }
}
