package dev.strongroom.api.errors;

/**
 * One validation error on one field, formatted exactly as apimachinery's {@code field.Error}.
 *
 * @param badValue the offending value, or {@link #OMIT} when it must not be printed (secret contents)
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

    /** Marker for "do not print the value". */
    public static final Object OMIT = new Object() {
        @Override public String toString() { return "<omitted>"; }
    };

    public enum Type {
        NOT_FOUND("Not found", "FieldValueNotFound"),
        REQUIRED("Required value", "FieldValueRequired"),
        DUPLICATE("Duplicate value", "FieldValueDuplicate"),
        INVALID("Invalid value", "FieldValueInvalid"),
        NOT_SUPPORTED("Unsupported value", "FieldValueNotSupported"),
        FORBIDDEN("Forbidden", "FieldValueForbidden"),
        TOO_LONG("Too long", "FieldValueTooLong"),
        TOO_MANY("Too many", "FieldValueTooMany"),
        INTERNAL("Internal error", "InternalError"),
        TYPE_INVALID("Invalid value", "FieldValueTypeInvalid");

        final String text;
        final String reason;

        Type(String text, String reason) { this.text = text; this.reason = reason; }

        public String reason() { return reason; }
    }

    public static FieldError required(String field, String detail) { return new FieldError(Type.REQUIRED, field, "", detail); }
    public static FieldError invalid(String field, Object value, String detail) { return new FieldError(Type.INVALID, field, value, detail); }
    public static FieldError forbidden(String field, String detail) { return new FieldError(Type.FORBIDDEN, field, "", detail); }
    public static FieldError tooLong(String field, int max) {
        return new FieldError(Type.TOO_LONG, field, OMIT, "may not be more than " + max + " bytes");
    }
    public static FieldError duplicate(String field, Object value) { return new FieldError(Type.DUPLICATE, field, value, ""); }
    public static FieldError notSupported(String field, Object value, java.util.List<String> supported) {
        StringBuilder sb = new StringBuilder();
        if (!supported.isEmpty()) {
            sb.append("supported values: ");
            for (int i = 0; i < supported.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(GoQuote.quote(supported.get(i)));
            }
        }
        return new FieldError(Type.NOT_SUPPORTED, field, value, sb.toString());
    }

    /** What follows the field name: {@code Invalid value: "x": detail}. */
    public String errorBody() {
        String s;
        switch (type) {
            case REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL -> s = type.text;
            default -> {
                if (badValue == OMIT) s = type.text;
                else if (badValue instanceof String str) s = type.text + ": " + GoQuote.quote(str);
                else s = type.text + ": " + badValue;
            }
        }
        if (detail != null && !detail.isEmpty()) s += ": " + detail;
        return s;
    }

    /** {@code field: body}, as Go's {@code Error()}. */
    public String message() {
        return field + ": " + errorBody();
    }
}
