package io.lossprism.cli;

import io.lossprism.loss.Decomposer;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.lossprism.loss.Precision;
import io.lossprism.npy.NpyArray;
import io.lossprism.npy.NpyReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code decompose}: reads a batch's ground truth and predictions saved with {@code np.save} and
 * explains the loss a framework reports for them, class by class.
 */
public final class DecomposeCommand {

    private DecomposeCommand() {}

    /** Runs the command; a {@link UsageException} carries the one-line message for any user error. */
    public static void run(List<String> args, PrintStream out) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(DecomposeOptions.USAGE);
            return;
        }
        DecomposeOptions options = DecomposeOptions.parse(args);
        BatchArrays batch = BatchArrays.of(
                read("--y-true", options.yTrue()),
                options.yTrue().getFileName().toString(),
                read("--y-pred", options.yPred()),
                options.yPred().getFileName().toString(),
                options.layout(),
                !options.fromLogits(),
                options.loss() == LossFunction.CCE);
        int classes = batch.shape().classes();
        List<String> names = names(options.classNames(), classes);
        LossSpec spec = spec(options, classes, batch.indexLabels());
        Precision precision = options.precisionOr(batch.saved());
        Decomposition d = new Decomposer(batch.shape(), options.layout(), spec)
                .decompose(batch.truthIn(precision), batch.predictionIn(precision));
        requireFinite(d, options);
        out.print(
                options.json()
                        ? DecompositionJson.render(d, spec, precision, names)
                        : DecompositionTable.render(d, spec, precision, names, batch.shape()));
    }

    /** Reads a regular file only: opening a FIFO would wait for a writer forever, a device might never end. */
    private static NpyArray read(String option, Path path) {
        String file = path.toString();
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new UsageException(option + ": " + file + " is not a regular file"
                    + (Files.isDirectory(path) ? " (a directory)" : " (a FIFO, socket or device)"));
        }
        try {
            return NpyReader.read(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new UsageException(message.contains(file) ? message : file + ": " + message);
        }
    }

    /**
     * Finite inputs and weights can still overflow once multiplied and summed (weights of 1e308): the table
     * would show "-" and the JSON null for a loss that is in fact too large to represent.
     */
    private static void requireFinite(Decomposition d, DecomposeOptions o) {
        boolean finite = Double.isFinite(d.loss())
                && d.classes().stream()
                        .allMatch(c -> Double.isFinite(c.loss())
                                && Double.isFinite(c.positiveLoss())
                                && Double.isFinite(c.negativeLoss()));
        if (finite) {
            return;
        }
        List<String> weights = new ArrayList<>();
        if (o.classWeights() != null) {
            weights.add("--class-weights");
        }
        if (o.posWeights() != null) {
            weights.add("--pos-weight");
        }
        throw new UsageException(
                weights.isEmpty()
                        ? "--y-pred: the loss of " + o.yPred()
                                + " overflows (is not a finite number): its values are too large"
                        : String.join(", ", weights)
                                + ": the loss overflows (is not a finite number) with these weights;"
                                + " scale them down");
    }

    private static LossSpec spec(DecomposeOptions o, int classes, boolean indexLabels) {
        double[] weights = weights(o.classWeights(), classes, "--class-weights");
        double[] posWeights = weights(o.posWeights(), classes, "--pos-weight");
        try {
            return new LossSpec(
                    o.loss(),
                    o.convention(),
                    o.fromLogits(),
                    weights,
                    posWeights,
                    o.gammaOr(),
                    o.alphaOr(),
                    o.dice(),
                    o.smoothOr(),
                    o.diceEpsilonOr(),
                    indexLabels,
                    o.threshold());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static double[] weights(double[] given, int classes, String option) {
        if (given == null) {
            return LossSpec.ones(classes);
        }
        if (given.length != classes) {
            throw new UsageException(option + ": expected " + classes + " values (one per class), got " + given.length);
        }
        return given;
    }

    private static List<String> names(List<String> given, int classes) {
        if (given == null) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                names.add("class" + c);
            }
            return names;
        }
        if (given.size() != classes) {
            throw new UsageException("--classes: expected " + classes + " names (one per class), got " + given.size());
        }
        return given;
    }
}
