package io.lossprism.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small PromQL splitter DashboardQueriesIT uses to evaluate alert conditions without their threshold. */
class PromQlTest {

    @Test
    void splitsTopLevelSetOperatorsAndDropsTheirMatchingModifiers() {
        assertThat(PromQl.setOperands("a - b > 0.25\nand on (job, instance) c >= 300"))
                .containsExactly("a - b > 0.25", "c >= 300");
        assertThat(PromQl.setOperands("x == 0 and on (job, instance) up == 1 unless on (job, instance) r == 0"))
                .containsExactly("x == 0", "up == 1", "r == 0");
        assertThat(PromQl.setOperands("a != a or abs(a) > 1e300")).containsExactly("a != a", "abs(a) > 1e300");
        assertThat(PromQl.setOperands("(d > 0.1) and ignoring (class) deriv(l[2m]) < 0"))
                .containsExactly("(d > 0.1)", "deriv(l[2m]) < 0");
    }

    @Test
    void leavesNestedOperatorsStringsAndNamesAlone() {
        assertThat(PromQl.setOperands("(a and b) > 1")).containsExactly("(a and b) > 1");
        assertThat(PromQl.setOperands("m{x=\"a and b\"} > 1")).containsExactly("m{x=\"a and b\"} > 1");
        assertThat(PromQl.setOperands("band_or_unless_total > 1")).containsExactly("band_or_unless_total > 1");
        assertThat(PromQl.setOperands("sum by (and) (m)")).containsExactly("sum by (and) (m)");
        assertThat(PromQl.setOperands("m # and a comment\n")).containsExactly("m # and a comment");
    }

    @Test
    void cutsAtTheFirstTopLevelComparison() {
        assertThat(PromQl.beforeComparison("(x / ignoring (class) group_left () (y > 0)) > 3"))
                .isEqualTo("(x / ignoring (class) group_left () (y > 0))");
        assertThat(PromQl.beforeComparison("a - b > 0.25")).isEqualTo("a - b");
        assertThat(PromQl.beforeComparison("a != a")).isEqualTo("a");
        assertThat(PromQl.beforeComparison("m{c!=\"x\",d=~\"y\"} <= 2")).isEqualTo("m{c!=\"x\",d=~\"y\"}");
        assertThat(PromQl.beforeComparison("m{c=\">\"}")).isEqualTo("m{c=\">\"}");
        assertThat(PromQl.hasComparison("m{c=\">\"}")).isFalse();
        assertThat(PromQl.hasComparison("rate(m[1m]) >= 1")).isTrue();
    }

    @Test
    void substitutesGrafanaVariablesInEveryForm() {
        Map<String, String> values = Map.of("split", "train", "class", ".+", "__rate_interval", "1m");
        assertThat(GrafanaDashboard.substitute(
                        "rate(m{split=\"$split\",class=~\"${class}\",x=\"[[split]]\",y=\"${split:raw}\"}[$__rate_interval])",
                        values))
                .isEqualTo("rate(m{split=\"train\",class=~\".+\",x=\"train\",y=\"train\"}[1m])");
        assertThat(GrafanaDashboard.variablesUsed("m{a=\"$a\"}[${__interval}]")).isEqualTo(List.of("a", "__interval"));
    }
}
