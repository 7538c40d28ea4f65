package dev.strongroom.scan.rules.secrets;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Values that stand for a secret rather than being one: template placeholders and stopwords, as
 * gitleaks allows them. Flagging {@code ${DB_PASSWORD}} or {@code {{ .Values.password }}} would
 * teach users to ignore the scanner.
 */
public final class Placeholders {
    private Placeholders() {}

    private static final Pattern TEMPLATE = Pattern.compile(
            "\\$\\{[^}]*}"            // ${VAR}, ${VAR:-default}
            + "|\\$\\([A-Za-z_][A-Za-z0-9_]*\\)" // $(VAR): Kubernetes' own env expansion
            + "|^\\$[A-Za-z_][A-Za-z0-9_]*$"     // $VAR
            + "|\\{\\{.*?}}"          // {{ .Values.x }}, {{ env "X" }}
            + "|^<[^<>]+>$"           // <your-password>
            + "|^%\\(?\\w*\\)?s$"     // %s, %(password)s
            + "|^\\*+$|^x{4,}$|^X{4,}$|^\\.{3,}$");

    private static final List<String> STOPWORDS = List.of(
            "example", "sample", "placeholder", "dummy", "changeme", "change_me", "change-me", "replace_me",
            "replaceme", "replace-me", "redacted", "your_", "your-", "yourpassword", "fake", "xxxx", "todo",
            "secret-name", "notasecret", "not-a-secret", "insert", "foobar", "lorem");

    public static boolean isPlaceholder(String value) {
        String v = value.strip();
        if (v.isEmpty()) return true;
        if (TEMPLATE.matcher(v).find()) return true;
        String lower = v.toLowerCase(Locale.ROOT);
        for (String stop : STOPWORDS) if (lower.contains(stop)) return true;
        return false;
    }
}
