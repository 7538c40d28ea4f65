package dev.strongroom.api.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoBase64Test {

    /** Inputs Go's StdEncoding accepts, with {@code \r}/{@code \n} written as {@code ^r}/{@code ^n}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''             | ''",
            "YQ==           | a",
            "YWI=           | ab",
            "YWJj           | abc",
            "YWJjZA==       | abcd",
            "Y^r^nQ==       | a",
            "YQ=^n=         | a",
            "YQ==^n         | a",
            "^nYWJj^r^n     | abc",
            "YR==           | a",       // non-zero trailing bits: StdEncoding is not Strict
            "bXlwYXNzd29yZA== | mypassword",
    })
    void decodes(String input, String expected) throws Exception {
        assertThat(new String(GoBase64.decode(unescape(input)), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    /** Inputs Go rejects, with the offset of {@code illegal base64 data at input byte N}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not base64!    | 3",
            "YQ             | 0",
            "YQ=            | 3",
            "Y===           | 1",
            "====           | 0",
            "YQ==YQ==       | 4",
            "YWJjZ          | 4",
            "YW Jj          | 2",
            "YQ=x           | 2",
            "é              | 0",
            "YWJjé          | 4",
            "YQ==^n^nx      | 6",
    })
    void rejects(String input, long offset) {
        assertThatThrownBy(() -> GoBase64.decode(unescape(input)))
                .isInstanceOf(GoBase64.CorruptInputException.class)
                .hasMessage("illegal base64 data at input byte " + offset)
                .extracting(e -> ((GoBase64.CorruptInputException) e).offset()).isEqualTo(offset);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'' | ''", "a | YQ==", "ab | YWI=", "abc | YWJj"})
    void encodesPadded(String plain, String encoded) {
        assertThat(GoBase64.encode(plain.getBytes(StandardCharsets.UTF_8))).isEqualTo(encoded);
    }

    private static String unescape(String s) {
        return s.replace("^r", "\r").replace("^n", "\n");
    }
}
