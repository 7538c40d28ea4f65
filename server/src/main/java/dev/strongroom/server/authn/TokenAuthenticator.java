package dev.strongroom.server.authn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Static bearer tokens: the bootstrap admin token (kept only as a SHA-256 hash) and kube-apiserver's
 * {@code --token-auth-file} ({@code pkg/authentication/token/tokenfile}). Tokens are held and compared only as
 * SHA-256 digests: the map lookup is keyed by the digest, so its timing reveals nothing about the token, and the
 * final comparison is {@link MessageDigest#isEqual}, which is constant-time. Token values are never logged.
 */
public final class TokenAuthenticator implements Authenticator.Token {
    private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);

    private final Map<String, Entry> byDigestHex;

    private record Entry(byte[] digest, UserInfo user) {}

    private TokenAuthenticator(Map<String, Entry> byDigestHex) { this.byDigestHex = byDigestHex; }

    public static Builder builder() { return new Builder(); }

    @Override
    public AuthResult authenticateToken(String token, List<String> audiences) {
        byte[] digest = sha256(token);
        Entry e = byDigestHex.get(HexFormat.of().formatHex(digest));
        if (e == null || !MessageDigest.isEqual(e.digest, digest)) return AuthResult.none();
        return AuthResult.ok(e.user, List.of());
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
         * Loads a kube-apiserver token file exactly as {@code tokenfile.NewCSV}: Go {@code encoding/csv} records
         * {@code token,user,uid[,"group1,group2"]} (fields not trimmed, blank lines skipped, extra columns ignored);
         * fewer than 3 columns is an error; an empty token is skipped and a duplicate token replaces the earlier one,
         * each with a warning naming the record number, never the token. The 4th column is split on {@code ,}.
         * Strongroom also skips lines starting with {@code #} (upstream would reject them as short records).
         */
        public Builder addTokenFile(Path file) throws IOException {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            List<List<String>> records = GoCsv.parse(content, file);
            int recordNum = 0;
            Map<String, Entry> fromFile = new HashMap<>();
            for (List<String> record : records) {
                if (record.size() < 3) {
                    throw new IOException("token file '" + file + "' must have at least 3 columns (token, user name, user uid), found " + record.size());
                }
                recordNum++;
                String token = record.get(0);
                if (token.isEmpty()) {
                    log.warn("empty token has been found in token file '{}', record number '{}'", file, recordNum);
                    continue;
                }
                List<String> groups = record.size() >= 4 ? Arrays.asList(record.get(3).split(",", -1)) : List.of();
                byte[] d = sha256(token);
                String key = HexFormat.of().formatHex(d);
                if (fromFile.containsKey(key)) {
                    log.warn("duplicate token has been found in token file '{}', record number '{}'", file, recordNum);
                }
                // system:authenticated is added here once, as the chain would add it on every request (same result).
                UserInfo user = AuthenticatorChain.withAuthenticatedGroup(new UserInfo(record.get(1), record.get(2), List.copyOf(groups), Map.of()));
                fromFile.put(key, new Entry(d, user));
            }
            entries.putAll(fromFile);
            return this;
        }

        public TokenAuthenticator build() { return new TokenAuthenticator(Map.copyOf(entries)); }
    }

    /** Go's {@code encoding/csv} reader with {@code FieldsPerRecord = -1}, plus {@code #} comment lines. */
    static final class GoCsv {
        private GoCsv() {}

        static List<List<String>> parse(String s, Path file) throws IOException {
            List<List<String>> out = new ArrayList<>();
            int i = 0, n = s.length(), line = 1;
            while (i < n) {
                // Skip empty lines (\n or \r\n), as Go's reader does.
                if (s.charAt(i) == '\n') { i++; line++; continue; }
                if (s.charAt(i) == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') { i += 2; line++; continue; }
                if (s.charAt(i) == '#') {
                    while (i < n && s.charAt(i) != '\n') i++;
                    continue;
                }
                List<String> record = new ArrayList<>();
                int recordLine = line;
                while (true) {
                    StringBuilder field = new StringBuilder();
                    if (i < n && s.charAt(i) == '"') {
                        i++;
                        while (true) {
                            if (i >= n) throw csvError(file, recordLine, "extraneous or missing \" in quoted-field");
                            char c = s.charAt(i);
                            if (c == '"') {
                                if (i + 1 < n && s.charAt(i + 1) == '"') { field.append('"'); i += 2; continue; }
                                i++;
                                break;
                            }
                            if (c == '\n') line++;
                            field.append(c);
                            i++;
                        }
                        if (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n' && !(s.charAt(i) == '\r' && i + 1 < n && s.charAt(i + 1) == '\n')) {
                            throw csvError(file, line, "extraneous or missing \" in quoted-field");
                        }
                    } else {
                        while (i < n && s.charAt(i) != ',' && s.charAt(i) != '\n') {
                            char c = s.charAt(i);
                            if (c == '"') throw csvError(file, line, "bare \" in non-quoted-field");
                            if (c == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') break;
                            field.append(c);
                            i++;
                        }
                    }
                    record.add(field.toString());
                    if (i < n && s.charAt(i) == ',') { i++; continue; }
                    if (i < n && s.charAt(i) == '\r') i++;
                    if (i < n && s.charAt(i) == '\n') { i++; line++; }
                    break;
                }
                out.add(record);
            }
            return out;
        }

        private static IOException csvError(Path file, int line, String what) {
            return new IOException(file + ": parse error on line " + line + ": " + what);
        }
    }
}
