package dev.strongroom.server.authn;

import dev.strongroom.server.transport.ApiRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Static bearer tokens: the bootstrap admin token (kept only as a SHA-256 hash) and kube-apiserver's
 * {@code --token-auth-file} CSV ({@code token,user,uid,"group1,group2"}). Tokens are held and compared only as
 * SHA-256 digests: a lookup by digest reveals nothing about the token through timing, and the final comparison is
 * {@link MessageDigest#isEqual}, which is constant-time.
 */
public final class TokenAuthenticator implements Authenticator {
    private final Map<String, Entry> byDigestHex;

    private record Entry(byte[] digest, UserInfo user) {}

    private TokenAuthenticator(Map<String, Entry> byDigestHex) { this.byDigestHex = byDigestHex; }

    public static Builder builder() { return new Builder(); }

    @Override
    public UserInfo authenticate(ApiRequest request) {
        String auth = request.header("Authorization");
        if (auth == null) return null;
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = auth.substring(7).trim();
        if (token.isEmpty()) return null;
        // JWTs (three dot-separated parts) belong to other authenticators once those exist; a static token never
        // contains dots in practice but may, so try it here regardless.
        byte[] digest = sha256(token);
        Entry e = byDigestHex.get(HexFormat.of().formatHex(digest));
        if (e == null || !MessageDigest.isEqual(e.digest, digest)) return null;
        return e.user;
    }

    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final Map<String, Entry> entries = new HashMap<>();

        /** Adds a user known only by the hex SHA-256 of their token (the bootstrap admin). */
        public Builder addDigest(String sha256Hex, UserInfo user) {
            byte[] d = HexFormat.of().parseHex(sha256Hex.trim());
            entries.put(HexFormat.of().formatHex(d), new Entry(d, user));
            return this;
        }

        /**
         * Loads a kube-apiserver token file: {@code token,user,uid[,"group1,group2"]} per line; blank lines and
         * lines starting with # are skipped. Errors name the line number, never the token.
         */
        public Builder addTokenFile(Path file) throws IOException {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                List<String> cols = csv(line);
                if (cols.size() < 3) {
                    throw new IOException(file + " line " + (i + 1) + ": expected at least 3 columns (token,user,uid), got " + cols.size());
                }
                String token = cols.get(0), user = cols.get(1), uid = cols.get(2);
                if (token.isEmpty() || user.isEmpty()) throw new IOException(file + " line " + (i + 1) + ": token and user must not be empty");
                List<String> groups = new ArrayList<>();
                if (cols.size() > 3 && !cols.get(3).isEmpty()) {
                    for (String g : cols.get(3).split(",")) if (!g.isBlank()) groups.add(g.strip());
                }
                if (!groups.contains(UserInfo.AUTHENTICATED)) groups.add(UserInfo.AUTHENTICATED);
                byte[] d = sha256(token);
                String key = HexFormat.of().formatHex(d);
                if (entries.containsKey(key)) throw new IOException(file + " line " + (i + 1) + ": duplicate token");
                entries.put(key, new Entry(d, new UserInfo(user, uid, List.copyOf(groups), Map.of())));
            }
            return this;
        }

        public TokenAuthenticator build() { return new TokenAuthenticator(Map.copyOf(entries)); }

        /** RFC 4180-ish CSV as Go's encoding/csv reads it: quoted fields may contain commas. */
        static List<String> csv(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else cur.append(c);
                } else if (c == '"') quoted = true;
                else if (c == ',') { out.add(cur.toString().strip()); cur.setLength(0); }
                else cur.append(c);
            }
            out.add(cur.toString().strip());
            return out;
        }
    }
}
