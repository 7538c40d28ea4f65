package dev.strongroom.api.meta;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HumanDurationTest {

    /** apimachinery's own table (duration_test.go) plus the boundaries of every branch. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PT-2S          | <invalid>",
            "PT-1.5S        | 0s",
            "PT-1S          | 0s",
            "PT-0.5S        | 0s",
            "PT0S           | 0s",
            "PT1.9S         | 1s",
            "PT1M           | 60s",
            "PT1M59.9S      | 119s",
            "PT2M           | 2m",
            "PT2M1S         | 2m1s",
            "PT9M59S        | 9m59s",
            "PT10M          | 10m",
            "PT10M59S       | 10m",
            "PT2H59M59S     | 179m",
            "PT3H           | 3h",
            "PT3H1M         | 3h1m",
            "PT7H59M59S     | 7h59m",
            "PT8H           | 8h",
            "PT8H59M        | 8h",
            "PT47H59M       | 47h",
            "PT48H          | 2d",
            "PT49H          | 2d1h",
            "PT191H         | 7d23h",
            "PT192H         | 8d",
            "PT17519H       | 729d",
            "PT17520H       | 2y",
            "PT17544H       | 2y1d",
            "PT70079H       | 7y364d",
            "PT70080H       | 8y",
            "PT876000H      | 100y",
    })
    void format(String iso, String expected) {
        assertThat(HumanDuration.format(Duration.parse(iso))).isEqualTo(expected);
    }
}
