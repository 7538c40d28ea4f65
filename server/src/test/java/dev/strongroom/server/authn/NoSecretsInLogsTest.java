package dev.strongroom.server.authn;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every log line written while the server starts, loads a token file with duplicate and empty tokens, and refuses
 * bad credentials of every kind (at TRACE level) is free of tokens and of the service-account signing key.
 */
class NoSecretsInLogsTest {
    @Test
    void tokensAndKeysNeverReachTheLog() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.TRACE);
        Path tokenFile = Files.createTempFile("tokens", ".csv");
        List<String> secrets = new ArrayList<>(List.of("s3cret-alice-token-0001", "s3cret-dup-token-0002"));
        try {
            Files.writeString(tokenFile, "s3cret-alice-token-0001,alice,1\ns3cret-dup-token-0002,x,2\ns3cret-dup-token-0002,y,3\n,nobody,4\n");
            try (TestCluster c = TestCluster.start(o -> o.withTokenAuthFile(tokenFile).withAnonymousAuth(false))) {
                secrets.add(c.adminToken);
                String pem = Files.readString(c.server.dataDirectory().root().resolve("pki").resolve("sa.key"));
                // Every line of the key's base64 body, and the decoded key's base64 in one piece.
                pem.lines().filter(l -> !l.startsWith("-----") && l.length() > 20).forEach(secrets::add);
                secrets.add(Base64.getEncoder().encodeToString(Base64.getMimeDecoder().decode(
                        pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))).substring(0, 40));

                // Refusals of every kind.
                c.whoami("s3cret-wrong-token-0003");
                secrets.add("s3cret-wrong-token-0003");
                TestCluster.Response tr = c.post("/api/v1/namespaces/default/serviceaccounts/default/token", "{\"spec\":{}}", c.adminToken);
                String saToken = tr.json().path("status").path("token").asText();
                secrets.add(saToken);
                String[] p = saToken.split("\\.");
                String forged = p[0] + "." + p[1] + "." + new StringBuilder(p[2]).reverse();
                secrets.add(forged);
                c.whoami(forged);
                c.tokenReview(forged);
                c.tokenReview("s3cret-wrong-token-0003");
                c.whoami(saToken);
                c.get("/api", "s3cret-alice-token-0001");
            }
        } finally {
            root.detachAppender(captured);
            root.setLevel(level);
            Files.deleteIfExists(tokenFile);
        }
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : captured.list) {
            all.append(e.getFormattedMessage()).append('\n');
            if (e.getThrowableProxy() != null) all.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
            for (Object a : e.getArgumentArray() == null ? new Object[0] : e.getArgumentArray()) all.append(a).append('\n');
        }
        String log = all.toString();
        // The capture works: the token-file warnings are there (naming record numbers, not tokens).
        assertThat(log).contains("duplicate token has been found in token file '" + tokenFile + "', record number '3'")
                .contains("empty token has been found in token file '" + tokenFile + "', record number '4'");
        for (String s : secrets) assertThat(log).as("a secret in the log").doesNotContain(s);
    }
}
