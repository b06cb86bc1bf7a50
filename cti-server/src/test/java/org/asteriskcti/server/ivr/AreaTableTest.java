package org.asteriskcti.server.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AreaTableTest {

    private final AreaTable table = new AreaTable("fr", Map.of("+33", "france", "+331", "paris", "+3314", "paris-centre", "01", "paris-national"));

    @Test
    void givenNestedPrefixes_whenANumberMatchesSeveral_thenTheLongestWins() {
        assertThat(table.regionOf("+33145000000")).contains("paris-centre");
        assertThat(table.regionOf("+33155000000")).contains("paris");
        assertThat(table.regionOf("+33491000000")).contains("france");
    }

    @Test
    void givenFormattedNumbers_whenLookedUp_thenSpacesDashesDotsAndBracketsAreIgnoredButThePlusCounts() {
        assertThat(table.regionOf("+33 (1) 55-00.00 00")).contains("paris");
        assertThat(table.regionOf("01 55 00 00 00")).contains("paris-national");
        assertThat(table.regionOf("33155000000")).as("no + : not the international prefix").isEmpty();
    }

    @Test
    void givenNoMatchingPrefix_thenNoRegion() {
        assertThat(table.regionOf("+4420")).isEmpty();
        assertThat(table.regionOf("")).isEmpty();
        assertThat(table.regionOf(null)).isEmpty();
        assertThat(table.regionOf("+3")).as("shorter than every prefix").isEmpty();
    }
}
