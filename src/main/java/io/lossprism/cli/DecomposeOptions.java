package io.lossprism.cli;

import io.lossprism.loss.Convention;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.loss.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code decompose}, parsed and checked one by one; each error names its option. A
 * parameter left out is null here and takes the convention's own default ({@link #gammaOr} and the like).
 */
record DecomposeOptions(
        Path yTrue,
        Path yPred,
        Layout layout,
        LossFunction loss,
        Convention convention,
        double[] classWeights,
        double[] posWeights,
        boolean fromLogits,
        double threshold,
        List<String> classNames,
        boolean json,
        Double gamma,
        Double alpha,
        DiceMode dice,
        Double smooth,
        Double diceEpsilon,
        Precision precision) {

    static final String USAGE = """
            Usage: java -jar target/lossprism.jar decompose --y-true T.npy --y-pred P.npy [options]
              --layout nhwc|nchw        where the class axis is: last (Keras, default) or second (PyTorch, DL4J)
              --loss NAME               bce (default), focal, dice, bce_dice, cce
              --convention NAME         keras (Keras 3 on TensorFlow, default), keras-torch, keras-jax,
                                        torch (or pytorch), dl4j: that framework's arithmetic and reduction
              --precision P             float32 or float64: what the framework computed in (default: Keras
                                        float32, its floatx; torch and dl4j the dtype of the y_pred file)
              --from-logits             predictions are logits (sigmoid, or softmax for cce), not probabilities
              --class-weights a,b,...   per-class weights of the cross-entropy terms
              --pos-weight a,b,...      per-class weights of the positive terms (PyTorch pos_weight)
              --threshold T             probability above which a pixel is predicted positive (default 0.5)
              --classes name,...        class names (default class0, class1, ...)
              --format table|json       output (default table)
              --gamma G --alpha A|none  focal loss parameters (default gamma 2; alpha none for Keras,
                                        0.25 for torch as torchvision's sigmoid_focal_loss)
              --dice micro|macro        Dice pooled over classes (default) or per class then averaged
              --smooth S                Dice smoothing added to numerator and denominator
              --dice-epsilon E          added to the Dice denominator only
                                        (default: Keras Dice(): smooth 0, epsilon 1e-7; torch and dl4j have
                                        no Dice: smooth 1, epsilon 0; --smooth alone means epsilon 0)
            With --loss cce, T.npy may hold class indices (one axis fewer than P.npy).
            """;

    static DecomposeOptions parse(List<String> args) {
        Path yTrue = null;
        Path yPred = null;
        Layout layout = Layout.NHWC;
        LossFunction loss = LossFunction.BCE;
        Convention convention = Convention.KERAS;
        double[] classWeights = null;
        double[] posWeights = null;
        boolean fromLogits = false;
        double threshold = 0.5;
        List<String> classNames = null;
        boolean json = false;
        Double gamma = null;
        Double alpha = null;
        DiceMode dice = DiceMode.MICRO;
        Double smooth = null;
        Double diceEpsilon = null;
        Precision precision = null;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("--from-logits")) {
                fromLogits = true;
                continue;
            }
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new UsageException(known(option) ? option + " needs a value" : unknown(option));
            }
            String value = args.get(++i);
            switch (option) {
                case "--y-true" -> yTrue = Path.of(value);
                case "--y-pred" -> yPred = Path.of(value);
                case "--layout" -> layout = choice(option, value, () -> Layout.parse(value), "nhwc, nchw");
                case "--loss" ->
                    loss = choice(option, value, () -> LossFunction.parse(value), "bce, focal, dice, bce_dice, cce");
                case "--convention" ->
                    convention = choice(
                            option,
                            value,
                            () -> Convention.parse(value),
                            "keras, keras-torch, keras-jax, torch, pytorch, dl4j");
                case "--precision" ->
                    precision = choice(option, value, () -> Precision.parse(value), "float32, float64");
                case "--class-weights" -> classWeights = positives(option, value);
                case "--pos-weight" -> posWeights = positives(option, value);
                case "--threshold" -> threshold = number(option, value, 0, 1, false);
                case "--classes" -> classNames = List.of(value.split(",", -1));
                case "--format" -> json = choice(option, value, () -> parseFormat(value), "table, json");
                case "--gamma" -> gamma = number(option, value, 0, 100, true);
                case "--alpha" -> alpha = value.equals("none") ? Double.NaN : number(option, value, 0, 1, true);
                case "--dice" ->
                    dice = choice(
                            option, value, () -> DiceMode.valueOf(value.toUpperCase(Locale.ROOT)), "micro, macro");
                case "--smooth" -> smooth = number(option, value, 0, 1e9, true);
                case "--dice-epsilon" -> diceEpsilon = number(option, value, 0, 1, true);
                default -> throw new UsageException(unknown(option));
            }
        }
        if (yTrue == null || yPred == null) {
            throw new UsageException("decompose needs --y-true FILE and --y-pred FILE");
        }
        return new DecomposeOptions(
                yTrue,
                yPred,
                layout,
                loss,
                convention,
                classWeights,
                posWeights,
                fromLogits,
                threshold,
                classNames,
                json,
                gamma,
                alpha,
                dice,
                smooth,
                diceEpsilon,
                precision);
    }

    /** Focal gamma: as given, or the convention's default. */
    double gammaOr() {
        return gamma != null ? gamma : convention.defaultFocalGamma();
    }

    /** Focal alpha: as given (NaN for none), or the convention's default. */
    double alphaOr() {
        return alpha != null ? alpha : convention.defaultFocalAlpha();
    }

    /** Dice smoothing: as given, or the convention's default. */
    double smoothOr() {
        return smooth != null ? smooth : convention.defaultDiceSmooth();
    }

    /** Dice epsilon: as given; 0 when only a smoothing is given (a dice_coef); else the convention's default. */
    double diceEpsilonOr() {
        return diceEpsilon != null ? diceEpsilon : smooth != null ? 0 : convention.defaultDiceEpsilon();
    }

    /** The precision: as given, or the convention's default for arrays saved in {@code saved}. */
    Precision precisionOr(Precision saved) {
        return precision != null ? precision : convention.defaultPrecision(saved);
    }

    private static final List<String> OPTIONS = List.of(
            "--y-true",
            "--y-pred",
            "--layout",
            "--loss",
            "--convention",
            "--precision",
            "--class-weights",
            "--pos-weight",
            "--threshold",
            "--classes",
            "--format",
            "--gamma",
            "--alpha",
            "--dice",
            "--smooth",
            "--dice-epsilon",
            "--from-logits");

    private static boolean known(String option) {
        return OPTIONS.contains(option);
    }

    private static String unknown(String option) {
        return "unknown option '" + option + "' for decompose; options: " + String.join(", ", OPTIONS);
    }

    private static boolean parseFormat(String value) {
        return switch (value) {
            case "json" -> true;
            case "table" -> false;
            default -> throw new IllegalArgumentException();
        };
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> T choice(String option, String value, Parser<T> parser, String allowed) {
        try {
            return parser.parse();
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": '" + value + "' is not one of " + allowed);
        }
    }

    private static double number(String option, String value, double min, double max, boolean inclusive) {
        double x;
        try {
            x = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + value + "' is not a number");
        }
        boolean ok = inclusive ? x >= min && x <= max : x > min && x < max;
        if (!ok) {
            throw new UsageException(option + ": must be " + (inclusive ? "from " : "between ") + min
                    + (inclusive ? " to " : " and ") + max + (inclusive ? "" : " (exclusive)") + ", got " + value);
        }
        return x;
    }

    private static double[] positives(String option, String value) {
        List<Double> weights = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            double w;
            try {
                w = Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(option + ": '" + part + "' is not a number");
            }
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new UsageException(option + ": weights must be finite and > 0, got " + part.trim());
            }
            weights.add(w);
        }
        return weights.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public String toString() {
        return "DecomposeOptions" + Arrays.asList(yTrue, yPred, layout, loss, convention);
    }
}
