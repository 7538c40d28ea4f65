package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.strongroom.api.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces every secret value in a body that is about to be logged by {@code hmac-sha256:<hex>}, the HMAC-SHA256
 * under the installation's audit key, so equal values can be correlated across events without being revealed:
 * <ul>
 *   <li>every value under a Secret's {@code data} (HMAC of the decoded bytes) and {@code stringData} (HMAC of the
 *       UTF-8 bytes), so {@code data: {p: bXlwYXNz}} and {@code stringData: {p: mypass}} give the same HMAC;
 *       also in Secret lists, Tables of secrets, patches of secrets (merge, strategic and JSON patch), and in the
 *       {@code kubectl.kubernetes.io/last-applied-configuration} annotation, which holds a copy of the object;</li>
 *   <li>a TokenRequest's {@code status.token} and a TokenReview's {@code spec.token};</li>
 *   <li>anything shaped like a bearer token anywhere: JWTs ({@code eyJ….….…}) and {@code Bearer …} values.</li>
 * </ul>
 * Works in place on a tree the caller owns.
 */
public final class Redactor {
    public static final String PREFIX = "hmac-sha256:";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)(?!hmac-sha256:)([A-Za-z0-9._~+/=-]{8,})");

    /** What the request was about: decides how to read a top-level body that does not name its kind (patches). */
    public enum Subject { SECRET, TOKEN_REQUEST, TOKEN_REVIEW, OTHER;

        public static Subject of(String group, String resource, String subresource) {
            if (group.isEmpty() && resource.equals("secrets") && subresource.isEmpty()) return SECRET;
            if (group.isEmpty() && resource.equals("serviceaccounts") && subresource.equals("token")) return TOKEN_REQUEST;
            if (group.equals("authentication.k8s.io") && resource.equals("tokenreviews")) return TOKEN_REVIEW;
            return OTHER;
        }
    }

    private final Mac prototype;

    public Redactor(byte[] key) {
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** {@code hmac-sha256:<hex>} of {@code value}. Thread-safe. */
    public String hmac(byte[] value) {
        Mac m;
        try {
            m = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        return PREFIX + HexFormat.of().formatHex(m.doFinal(value));
    }

    public String hmac(String value) { return hmac(value.getBytes(StandardCharsets.UTF_8)); }

    /** The HMAC of a {@code data} value: of the bytes it encodes, or of the text itself if it is not valid base64. */
    public String hmacData(String base64) {
        try {
            return hmac(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return hmac(base64);
        }
    }

    /** Redacts {@code root} in place (it may be replaced: the return value is the tree to log). */
    public JsonNode redact(JsonNode root, Subject subject) {
        if (root == null) return null;
        if (subject == Subject.SECRET && root.isArray()) {
            jsonPatchOfSecret((ArrayNode) root);
        }
        return walk(root, subject, true);
    }

    private JsonNode walk(JsonNode n, Subject hint, boolean top) {
        if (n.isTextual()) return scrubTokens((TextNode) n);
        if (n.isArray()) {
            ArrayNode a = (ArrayNode) n;
            for (int i = 0; i < a.size(); i++) a.set(i, walk(a.get(i), Subject.OTHER, false));
            return a;
        }
        if (!n.isObject()) return n;
        ObjectNode o = (ObjectNode) n;
        String kind = o.path("kind").asText("");
        boolean kindless = kind.isEmpty();
        boolean secret = kind.equals("Secret") || (top && kindless && hint == Subject.SECRET) || (!top && hint == Subject.SECRET);
        if (secret) secretValues(o);
        if (kind.equals("TokenRequest") || (top && kindless && hint == Subject.TOKEN_REQUEST)) replaceText(o.path("status"), "token");
        if (kind.equals("TokenReview") || (top && kindless && hint == Subject.TOKEN_REVIEW)) replaceText(o.path("spec"), "token");
        lastApplied(o);
        // Children: list items and table rows of secrets are secrets too.
        boolean secretList = kind.equals("SecretList") || (top && hint == Subject.SECRET && (kind.endsWith("List") || kind.equals("Table")));
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (secretList && e.getKey().equals("items") && v.isArray()) {
                ArrayNode items = (ArrayNode) v;
                for (int i = 0; i < items.size(); i++) items.set(i, walk(items.get(i), Subject.SECRET, false));
            } else if (secretList && e.getKey().equals("rows") && v.isArray()) {
                for (JsonNode row : v) {
                    if (row.isObject() && row.get("object") != null) ((ObjectNode) row).set("object", walk(row.get("object"), Subject.SECRET, false));
                    if (row.isObject() && row.get("cells") != null) walk(row.get("cells"), Subject.OTHER, false);
                }
            } else {
                e.setValue(walk(v, Subject.OTHER, false));
            }
        }
        return o;
    }

    private void secretValues(ObjectNode o) {
        JsonNode data = o.get("data");
        if (data != null && !data.isNull()) o.set("data", valuesOf(data, true));
        JsonNode stringData = o.get("stringData");
        if (stringData != null && !stringData.isNull()) o.set("stringData", valuesOf(stringData, false));
    }

    /** A map's values replaced by HMACs; anything else replaced by one HMAC of its text. */
    private JsonNode valuesOf(JsonNode m, boolean base64) {
        if (!m.isObject()) return TextNode.valueOf(hmac(m.isTextual() ? m.textValue() : Json.string(m)));
        ObjectNode out = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) out.putNull(e.getKey());
            else out.put(e.getKey(), one(v, base64));
        }
        return out;
    }

    private String one(JsonNode v, boolean base64) {
        String text = v.isTextual() ? v.textValue() : Json.string(v);
        return base64 ? hmacData(text) : hmac(text);
    }

    private void replaceText(JsonNode parent, String field) {
        if (parent instanceof ObjectNode p && p.hasNonNull(field)) {
            JsonNode v = p.get(field);
            p.put(field, hmac(v.isTextual() ? v.textValue() : Json.string(v)));
        }
    }

    /** The annotation is a JSON copy of the applied object: redact it as an object of its own. */
    private void lastApplied(ObjectNode o) {
        JsonNode ann = o.path("metadata").path("annotations");
        if (!(ann instanceof ObjectNode a) || !a.hasNonNull(LAST_APPLIED)) return;
        String text = a.get(LAST_APPLIED).asText();
        try {
            JsonNode applied = Json.MAPPER.readTree(text);
            boolean trailingNewline = text.endsWith("\n");
            JsonNode red = walk(applied, Subject.OTHER, true);
            a.put(LAST_APPLIED, Json.string(red) + (trailingNewline ? "\n" : ""));
        } catch (Exception e) {
            a.put(LAST_APPLIED, hmac(text)); // unreadable: keep nothing of it
        }
    }

    /** JSON patch ({@code [{"op":"add","path":"/data/x","value":"…"}]}) of a secret. */
    private void jsonPatchOfSecret(ArrayNode ops) {
        for (JsonNode op : ops) {
            if (!(op instanceof ObjectNode o) || !o.has("value")) continue;
            String path = o.path("path").asText("");
            boolean data = path.equals("/data") || path.startsWith("/data/");
            boolean stringData = path.equals("/stringData") || path.startsWith("/stringData/");
            if (path.equals("/data") || path.equals("/stringData")) {
                o.set("value", valuesOf(o.get("value"), data));
            } else if (data || stringData) {
                o.put("value", one(o.get("value"), data));
            } else if (path.isEmpty() || path.equals("/")) {
                JsonNode v = o.get("value");
                if (v instanceof ObjectNode vo) secretValues(vo);
            }
        }
    }

    private TextNode scrubTokens(TextNode t) {
        String s = t.textValue();
        boolean jwt = s.contains("eyJ");
        boolean bearer = s.length() > 7 && (s.contains("earer") || s.contains("EARER"));
        if (!jwt && !bearer) return t;
        String out = s;
        if (jwt) out = replaceAll(JWT, out, 0);
        if (bearer) out = replaceAll(BEARER, out, 2);
        return out.equals(s) ? t : TextNode.valueOf(out);
    }

    private String replaceAll(Pattern p, String s, int group) {
        Matcher m = p.matcher(s);
        StringBuilder sb = null;
        int last = 0;
        while (m.find()) {
            if (sb == null) sb = new StringBuilder();
            sb.append(s, last, m.start(group)).append(hmac(m.group(group)));
            last = m.end(group);
        }
        if (sb == null) return s;
        return sb.append(s, last, s.length()).toString();
    }
}
