package dev.strongroom.scan.rules.secrets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in text the way gitleaks does: exact formats of well-known tokens, and
 * "generic" assignments whose key names a secret and whose value is random enough (Shannon
 * entropy) and is not a placeholder or stopword.
 */
public final class CredentialDetector {

    /** A credential found: the detector that matched and the value (to be redacted before display). */
    public record Match(String detector, String value) {}

    private record Known(String name, Pattern pattern, int group) {}

    // Patterns follow gitleaks' default config (rules aws-access-token, github-pat, gitlab-pat,
    // slack-*-token, slack-webhook-url, private-key, jwt), simplified where gitleaks adds keywords.
    private static final List<Known> KNOWN = List.of(
            new Known("AWS access key ID", Pattern.compile("\\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\\b"), 1),
            new Known("GitHub token", Pattern.compile("\\b((?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36})\\b"), 1),
            new Known("GitHub fine-grained token", Pattern.compile("\\b(github_pat_\\w{82})\\b"), 1),
            new Known("GitLab token", Pattern.compile("\\b(glpat-[0-9A-Za-z_-]{20})(?![0-9A-Za-z_-])"), 1),
            new Known("Slack token", Pattern.compile("\\b(xox[baprs]-[0-9A-Za-z]{10,48}(?:-[0-9A-Za-z]{1,48})*)"), 1),
            new Known("Slack webhook URL", Pattern.compile("(https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56})"), 1),
            new Known("private key", Pattern.compile("(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{64,}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)"), 1),
            new Known("JSON Web Token", Pattern.compile("\\b(ey[A-Za-z0-9]{17,}\\.ey[A-Za-z0-9/_-]{17,}\\.(?:[A-Za-z0-9/_-]{10,}={0,2})?)"), 1),
            new Known("connection string with password", Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]{1,30}://[^\\s:/@\"']+:([^\\s@/\"']{3,})@[^\\s\"']+"), 1));

    /** Key names that say "this is a secret" (gitleaks generic-api-key keywords). */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)(?:passw(?:or)?d|passwd|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|credential|creds|auth[_.-]?key|client[_.-]?secret)");
    /** Names that refer to a secret rather than hold one: DB_PASSWORD_FILE, TOKEN_PATH, secretName. */
    private static final Pattern REFERENCE_KEY = Pattern.compile("(?i)(?:file|path|dir|name|ref|url|endpoint|length|ttl|expir\\w*|timeout|enabled|type|mode|id)$");
    /** key=value or key: value inside larger text (a properties file in a ConfigMap, a --flag). */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)([A-Za-z0-9_.-]*(?:passw(?:or)?d|passwd|pwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|credential|client[_.-]?secret)[A-Za-z0-9_.-]*)[\"']?\\s*[:=]\\s*[\"']?([^\\s\"',;]{8,150})");

    private final double entropyThreshold;

    public CredentialDetector(double entropyThreshold) {
        this.entropyThreshold = entropyThreshold;
    }

    /** Known-format credentials anywhere in {@code text}. */
    public List<Match> known(String text) {
        List<Match> out = new ArrayList<>();
        if (text == null || text.length() < 8) return out;
        for (Known k : KNOWN) {
            Matcher m = k.pattern().matcher(text);
            while (m.find()) {
                String v = m.group(k.group());
                if (!Placeholders.isPlaceholder(v)) out.add(new Match(k.name(), v));
            }
        }
        return out;
    }

    /**
     * A generic secret: {@code key} names a secret and {@code value} looks random; or, inside a
     * multi-line value, a {@code key=value} assignment that does.
     */
    public Optional<Match> generic(String key, String value) {
        if (value == null) return Optional.empty();
        if (key != null && isSecretKey(key) && !value.contains("\n") && looksRandom(value.strip())) {
            return Optional.of(new Match("secret-named value \"" + key + "\"", value.strip()));
        }
        // Cheap pre-check first: the assignment pattern is only worth running on text that names a secret.
        if (value.indexOf('=') < 0 && value.indexOf(':') < 0 || !SECRET_KEY.matcher(value).find()) return Optional.empty();
        Matcher m = ASSIGNMENT.matcher(value);
        while (m.find()) {
            String name = m.group(1);
            String v = m.group(2);
            if (!REFERENCE_KEY.matcher(name).find() && looksRandom(v)) {
                return Optional.of(new Match("assignment to \"" + name + "\"", v));
            }
        }
        return Optional.empty();
    }

    static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).find() && !REFERENCE_KEY.matcher(key).find();
    }

    private boolean looksRandom(String v) {
        if (v.length() < 8 || v.length() > 500) return false;
        if (Placeholders.isPlaceholder(v)) return false;
        if (v.startsWith("/") || v.matches("(?i)true|false|null|none|[0-9.]+")) return false;
        if (v.toLowerCase(Locale.ROOT).startsWith("http") && !v.contains("@")) return false;
        return entropy(v) >= entropyThreshold;
    }

    /** Shannon entropy in bits per character. */
    public static double entropy(String s) {
        int[] counts = new int[128];
        Map<Character, Integer> other = new HashMap<>();
        for (char c : s.toCharArray()) {
            if (c < 128) counts[c]++;
            else other.merge(c, 1, Integer::sum);
        }
        double h = 0;
        int n = s.length();
        for (int c : counts) if (c > 0) h -= (double) c / n * (Math.log((double) c / n) / Math.log(2));
        for (int c : other.values()) h -= (double) c / n * (Math.log((double) c / n) / Math.log(2));
        return h;
    }
}
