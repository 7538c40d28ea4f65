package dev.strongroom.api.codec;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code fmt} {@code %v} of a JSON value decoded into {@code interface{}} (maps {@code map[k:v]} with sorted
 * keys, slices {@code [a b]}, integers as int64, other numbers as float64, {@code <nil>}). Upstream embeds such
 * renderings in error messages: strategic-merge-patch failures ({@code map: map[name:x] does not contain declared
 * merge key: uid}) and the {@code Invalid value} of a patch that decodes badly.
 */
public final class GoFormat {
    private GoFormat() {}

    /**
     * A value printed as is (not quoted) in a {@code FieldError}: what field.Error's {@code %#v} fallback prints for
     * non-string bad values, e.g. {@code []string{"a", "b"}} or a struct.
     */
    public record Raw(String text) {
        @Override public String toString() { return text; }
    }

    /** Go's {@code %#v} of a []string. */
    public static Raw stringSlice(JsonNode arr) {
        List<String> items = new ArrayList<>();
        if (arr != null && arr.isArray()) for (JsonNode n : arr) items.add(dev.strongroom.api.errors.GoQuote.quote(n.asText()));
        return new Raw("[]string{" + String.join(", ", items) + "}");
    }

    public static String sprint(JsonNode v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    private static void append(StringBuilder sb, JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            sb.append("<nil>");
        } else if (v.isObject()) {
            List<String> keys = new ArrayList<>();
            v.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            sb.append("map[");
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) sb.append(' ');
                sb.append(keys.get(i)).append(':');
                append(sb, v.get(keys.get(i)));
            }
            sb.append(']');
        } else if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) sb.append(' ');
                append(sb, v.get(i));
            }
            sb.append(']');
        } else if (v.isTextual()) {
            sb.append(v.textValue());
        } else if (v.isBoolean()) {
            sb.append(v.booleanValue());
        } else if (v.isIntegralNumber() && v.canConvertToLong()) {
            sb.append(v.longValue());
        } else if (v.isNumber()) {
            sb.append(formatFloat(v.doubleValue()));
        } else {
            sb.append(v.asText());
        }
    }

    /** {@code strconv.FormatFloat(f, 'g', -1, 64)}: shortest digits, exponent form outside [1e-4, 1e21). */
    static String formatFloat(double f) {
        if (f == 0) return (1 / f < 0) ? "-0" : "0";
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - bd.scale(); // position of the decimal point relative to the digits
        int exp = dp - 1;
        StringBuilder sb = new StringBuilder(f < 0 ? "-" : "");
        // With the shortest precision, Go decides on the exponent form as if the precision were 6.
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (nd > 1) sb.append('.').append(digits, 1, nd);
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) sb.append('0');
            sb.append(ae);
        } else if (dp <= 0) {
            sb.append("0.").append("0".repeat(-dp)).append(digits);
        } else if (dp >= nd) {
            sb.append(digits).append("0".repeat(dp - nd));
        } else {
            sb.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
        return sb.toString();
    }
}
