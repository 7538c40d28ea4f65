package dev.strongroom.api.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoTimeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-22T16:38:15Z          | 2026-11-22T16:38:15Z",
            "2026-11-22T18:38:15+02:00     | 2026-11-22T16:38:15Z",
            "2026-11-22T16:38:15.999999Z   | 2026-11-22T16:38:15Z",
            "2026-11-22T16:38:15,5-01:30   | 2026-11-22T18:08:15Z",
            "2026-11-22T6:38:15Z           | 2026-11-22T06:38:15Z",
            "2024-02-29T00:00:00Z          | 2024-02-29T00:00:00Z",
            "0001-01-01T00:00:00Z          | 0001-01-01T00:00:00Z",
    })
    void parsesAndFormatsLikeMetav1Time(String in, String out) throws Exception {
        assertThat(GoTime.format(GoTime.parse(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "yesterday                  | parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"",
            "2026-11-22                 | parsing time \"2026-11-22\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"",
            "2026-11-22 16:38:15Z       | parsing time \"2026-11-22 16:38:15Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 16:38:15Z\" as \"T\"",
            "2026-1-22T16:38:15Z        | parsing time \"2026-1-22T16:38:15Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"1-22T16:38:15Z\" as \"01\"",
            "2026-11-22T16:38:15        | parsing time \"2026-11-22T16:38:15\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\"",
            "2026-13-01T00:00:00Z       | parsing time \"2026-13-01T00:00:00Z\": month out of range",
            "2026-02-30T00:00:00Z       | parsing time \"2026-02-30T00:00:00Z\": day out of range",
            "2026-11-22T24:00:00Z       | parsing time \"2026-11-22T24:00:00Z\": hour out of range",
            "2026-11-22T16:60:00Z       | parsing time \"2026-11-22T16:60:00Z\": minute out of range",
            "2026-11-22T16:38:15Zjunk   | parsing time \"2026-11-22T16:38:15Zjunk\": extra text: \"junk\"",
    })
    void rejectsWithGoMessages(String in, String message) {
        assertThatThrownBy(() -> GoTime.parse(in)).isInstanceOf(GoTime.ParseException.class).hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void formatTruncatesToSeconds() {
        assertThat(GoTime.format(Instant.parse("2026-11-22T16:38:15.987Z"))).isEqualTo("2026-11-22T16:38:15Z");
    }
}
