package org.rad.samples;

import org.rad.samples.mlp.MlpBenchmark;
import org.rad.samples.mlp.MnistCommand;
import org.rad.samples.reactor.ReactorBenchmark;
import org.rad.samples.reactor.ReactorBiasCommand;
import org.rad.samples.reactor.ReactorCheckCommand;
import org.rad.samples.reactor.ReactorGpuCheckCommand;
import org.rad.samples.reactor.ReactorCommand;
import org.rad.samples.zoo.ZooBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line of the rad samples: {@code rad reactor}, {@code rad bench-reactor}. */
@Command(
    name = "rad",
    mixinStandardHelpOptions = true,
    version = "rad 0.1.0",
    description = "Experiments of randomized automatic differentiation (Oktay et al., ICLR 2021) with rad.",
    subcommands = {ReactorCommand.class, ReactorBiasCommand.class, ReactorCheckCommand.class, ReactorGpuCheckCommand.class, ReactorBenchmark.class, RadBenchmark.class, MnistCommand.class, MlpBenchmark.class, ZooBenchmark.class, CommandLine.HelpCommand.class})
public final class RadCli {
  public static void main(String[] args) {
    System.exit(new CommandLine(new RadCli()).execute(args));
  }
}
