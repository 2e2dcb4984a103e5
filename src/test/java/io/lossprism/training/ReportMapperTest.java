package io.lossprism.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lossprism.bus.BatchReport;
import io.lossprism.bus.ClassReport;
import io.lossprism.data.Split;
import io.lossprism.loss.BatchShape;
import io.lossprism.loss.Decomposition;
import io.lossprism.loss.Layout;
import io.lossprism.loss.LossFunction;
import io.lossprism.loss.LossSpec;
import io.lossprism.loss.LossSpec.DiceMode;
import io.lossprism.objective.Objective;
import io.lossprism.objective.ObjectiveDecomposer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A report's convention and loss come from the objective its decomposition was computed with. */
class ReportMapperTest {

    @ParameterizedTest
    @EnumSource(
            value = LossFunction.class,
            names = {"BCE", "FOCAL", "DICE", "BCE_DICE"})
    void theReportCarriesTheObjectivesConventionAndTheDecomposedLoss(LossFunction function) {
        Objective objective =
                Objective.dl4j(function, LossSpec.ones(2), LossSpec.ones(2), 2, Double.NaN, DiceMode.MICRO, 1, 1, 1);
        // one image, two classes, two pixels
        Decomposition d = new ObjectiveDecomposer(BatchShape.of(1, 2, 1, 2), Layout.NCHW, objective)
                .decompose(new float[] {1, 0, 0, 1}, new float[] {2, -1, 0.5f, 3});
        ReportMapper mapper = new ReportMapper("run-1", List.of("disc", "speck"), objective);

        BatchReport report = mapper.toReport(Split.VALIDATION, new StepResult(1, 7, 0.9, d, 0, 0), 1, 5.0, 42);

        assertThat(report.convention()).isEqualTo(objective.spec().convention().label());
        assertThat(report.loss()).isEqualTo(d.loss());
        assertThat(Double.valueOf(report.meanElementLoss()))
                .isEqualTo(Double.valueOf(d.meanElementLoss())); // NaN for Dice
        assertThat(report.reportedLoss()).isEqualTo(0.9);
        assertThat(report.split()).isEqualTo("validation");
        assertThat(report.classes()).extracting(ClassReport::name).containsExactly("disc", "speck");
        assertThat(report.classes())
                .extracting(ClassReport::loss)
                .containsExactly(d.classes().get(0).loss(), d.classes().get(1).loss());
    }
}
