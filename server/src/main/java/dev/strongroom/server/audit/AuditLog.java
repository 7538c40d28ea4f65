package dev.strongroom.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.codec.ProtobufDecoder;
import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.json.Json;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Decision;
import dev.strongroom.server.init.DataDirectory;
import dev.strongroom.server.request.RequestInfo;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;
import dev.strongroom.server.transport.MediaTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit trail: evaluates the policy for each request, builds its {@code audit.k8s.io/v1} events at the stages the
 * policy keeps, redacts secret values from the bodies it logs ({@link Redactor}) and hands each event to every
 * backend. Events are written as kube-apiserver writes them (field order, omitted empty fields, Go's JSON escaping,
 * microsecond timestamps); the one addition is the hash-chain annotation each backend appends ({@link Chain}).
 *
 * <p>Fail-open (default): requests never wait; a backend that cannot keep up drops and counts. Fail-closed: a
 * mutating request is acted on only once its RequestReceived event is durable, a read's response is released only
 * once its ResponseComplete (or, for a watch, ResponseStarted) event is durable; otherwise 503. Those stages are
 * written in this mode even if the policy omits them, since they are the record the refusal rests on.
 */
public final class AuditLog implements Auditor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_USER_AGENT = 1024;
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("'([^']{3,})'");
    private static final byte[] HEAD = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Policy policy;
    private final Redactor redactor;
    private final List<AuditBackend> backends;
    private final boolean failClosed;
    private final Duration failClosedTimeout;
    private final Clock clock;

    public AuditLog(Policy policy, Redactor redactor, List<AuditBackend> backends, boolean failClosed, Duration failClosedTimeout, Clock clock) {
        this.policy = policy;
        this.redactor = redactor;
        this.backends = List.copyOf(backends);
        this.failClosed = failClosed;
        this.failClosedTimeout = failClosedTimeout;
        this.clock = clock;
    }

    /** Builds the audit trail the options describe, with the installation's keys from {@code dir}. */
    public static AuditLog start(AuditOptions o, DataDirectory dir) throws IOException {
        if (o == null) o = AuditOptions.defaults();
        Policy policy = o.policyFile() == null ? Policy.defaults() : Policy.load(o.policyFile());
        Redactor redactor = new Redactor(dir.ensureAuditHmacKey());
        Clock clock = Clock.systemUTC();
        List<AuditBackend> backends = new ArrayList<>();
        try {
            String lp = o.logPath();
            if (lp == null || !lp.isEmpty()) {
                if ("-".equals(lp)) {
                    backends.add(FileBackend.stdout(clock));
                } else {
                    Path p = lp == null ? dir.auditLog() : Path.of(lp);
                    java.security.KeyPair key = dir.ensureAuditCheckpointKey();
                    backends.add(FileBackend.open(p, (long) o.logMaxSizeMb() * 1024 * 1024, o.logMaxAgeDays(), o.logMaxBackups(),
                            o.checkpointInterval(), key, clock));
                    log.info("audit log: {} (checkpoints signed with key {}, public key {})", p.toAbsolutePath(),
                            Checkpoint.keyId(key.getPublic()), dir.auditCheckpointPublicKeyFile());
                }
            }
            if (o.webhookConfigFile() != null) {
                backends.add(WebhookBackend.fromKubeconfig(o.webhookConfigFile(), o.webhookBufferSize(), o.webhookMaxBatchSize(),
                        o.webhookMaxWait(), o.webhookInitialBackoff()));
            }
        } catch (IOException | RuntimeException e) {
            backends.forEach(AuditBackend::close);
            throw e;
        }
        backends.addAll(o.extraBackends());
        if (backends.isEmpty()) log.warn("audit logging is off (--audit-log-path=\"\" and no --audit-webhook-config-file)");
        if (o.failClosed()) log.info("audit is fail-closed: requests whose events cannot be made durable are refused with 503");
        return new AuditLog(policy, redactor, backends, o.failClosed(), o.failClosedTimeout(), clock);
    }

    public Redactor redactor() { return redactor; }

    /** The last user's JSON: most requests come from the same few users, and it is the biggest part of an event. */
    private volatile Object[] lastUser = {null, null};

    private static final byte[] NO_USER = {'{', '}'};

    private byte[] userJson(UserInfo u) {
        if (u == null) return NO_USER;
        Object[] c = lastUser;
        if (c[0] == u || (u != null && u.equals(c[0]))) return (byte[]) c[1];
        Bytes b = new Bytes(128);
        RecordImpl.user(b, u);
        byte[] json = b.toArray();
        lastUser = new Object[]{u, json};
        return json;
    }

    public List<AuditBackend> backends() { return backends; }

    @Override
    public boolean blocksRequests() { return failClosed && !backends.isEmpty(); }

    @Override
    public Record begin(ApiRequest req, RequestInfo info, UserInfo user) {
        if (backends.isEmpty()) return NO_RECORD;
        try {
            return doBegin(req, info, user);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            return trouble(e, req);
        }
    }

    /**
     * A bug in the audit code must not take requests down with it in fail-open mode; in fail-closed mode the request
     * cannot be recorded, so it is refused.
     */
    private Record trouble(RuntimeException e, ApiRequest req) {
        log.error("audit: cannot record {} {} ({})", req.method(), req.path(), req.auditId(), e);
        if (failClosed) throw refusal();
        return NO_RECORD;
    }

    private Record doBegin(ApiRequest req, RequestInfo info, UserInfo user) {
        Policy.Decision d = policy.evaluate(user, info);
        if (d.level() == Level.None) return NO_RECORD;
        RecordImpl r = new RecordImpl(req, info, user, d, clock.instant());
        boolean mutating = mutating(info);
        boolean durable = failClosed && mutating;
        if (durable || !d.omits(Stage.RequestReceived)) {
            if (!emit(r, Stage.RequestReceived, r.received, durable)) {
                throw refusal();
            }
        }
        return r;
    }

    @Override
    public void unauthenticated(ApiRequest req, RequestInfo info, ApiException refusal) {
        if (backends.isEmpty()) return;
        try {
            doUnauthenticated(req, info, refusal);
        } catch (RuntimeException e) {
            log.error("audit: cannot record {} {} ({})", req.method(), req.path(), req.auditId(), e);
        }
    }

    private void doUnauthenticated(ApiRequest req, RequestInfo info, ApiException refusal) {
        Policy.Decision d = policy.evaluate(null, info);
        if (d.level() == Level.None) return;
        RecordImpl r = new RecordImpl(req, info, null, d, clock.instant());
        // kube-apiserver records a failed authentication once, at ResponseStarted, with the Status it answers.
        r.status(refusal.toStatus(), refusal.code());
        if (!d.omits(Stage.ResponseStarted)) emit(r, Stage.ResponseStarted, clock.instant(), false);
    }

    static boolean mutating(RequestInfo info) {
        if (!info.resourceRequest()) return !info.verb().equals("get") && !info.verb().equals("head");
        return switch (info.verb()) {
            case "get", "list", "watch" -> false;
            default -> true;
        };
    }

    private static ApiException refusal() {
        return ApiException.unavailable("the audit log cannot record this request, so it is refused (--audit-fail-closed)");
    }

    /** Sends one event to every backend; when {@code durable}, waits until each has it on disk or delivered. */
    boolean emit(RecordImpl r, Stage stage, Instant at, boolean durable) {
        Bytes b = new Bytes(1024);
        boolean hasAnnotations = r.serialize(b, stage, at);
        byte[] body = b.array(); // handed over as is: no copy (the event is built once and never changed)
        int length = b.length();
        if (!durable) {
            AuditEntry e = new AuditEntry(body, length, hasAnnotations, null);
            for (AuditBackend be : backends) be.offer(e);
            return true;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>(backends.size());
        for (AuditBackend be : backends) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            acks.add(f);
            be.offer(new AuditEntry(body, length, hasAnnotations, f));
        }
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(failClosedTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            log.warn("audit: refusing {} {} ({}): its {} event could not be made durable: {}", r.verb, r.requestUri, r.auditId, stage,
                    e.getCause() != null ? e.getCause().toString() : e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        for (AuditBackend b : backends) {
            try {
                b.close();
            } catch (RuntimeException e) {
                log.warn("error closing {}: {}", b.describe(), e.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ one request

    final class RecordImpl implements Record {
        final String auditId;
        final String requestUri;
        final String verb;
        final UserInfo user;
        final RequestInfo info;
        final ApiRequest req;
        final Policy.Decision policyDecision;
        final Instant received;
        final List<String> sourceIps;
        final String userAgent;
        UserInfo impersonated;
        Decision decision;
        // objectRef fields that the request body may complete
        String refName;
        String refNamespace;
        String refUid = "";
        String refResourceVersion = "";
        // responseStatus
        ObjectNode statusNode; // a Status's fields, or null for {code} only
        int code;
        JsonNode requestObject;
        JsonNode responseObject;
        boolean done;
        final AtomicBoolean streamDone = new AtomicBoolean();

        RecordImpl(ApiRequest req, RequestInfo info, UserInfo user, Policy.Decision d, Instant received) {
            this.req = req;
            this.info = info;
            this.user = user;
            this.policyDecision = d;
            this.received = received;
            this.auditId = req.auditId();
            this.requestUri = req.requestUri();
            this.verb = info.verb();
            this.sourceIps = SourceIps.of(req);
            String ua = req.userAgent();
            this.userAgent = ua.length() > MAX_USER_AGENT ? ua.substring(0, MAX_USER_AGENT) + "...TRUNCATED" : ua;
            this.refName = info.name();
            this.refNamespace = info.namespace();
        }

        @Override
        public void impersonated(UserInfo asUser) { this.impersonated = asUser; }

        @Override
        public void authorized(Decision d) { this.decision = d; }

        @Override
        public ApiResponse completed(ApiResponse response) {
            try {
                return doCompleted(response);
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                done = true;
                trouble(e, req);
                return response;
            }
        }

        private ApiResponse doCompleted(ApiResponse response) {
            if (done) return response;
            if (response instanceof ApiResponse.Streaming s) return streaming(s);
            ApiResponse.Full f = (ApiResponse.Full) response;
            code = f.status();
            if (looksLikeStatus(f)) {
                JsonNode st = parseJson(f.body());
                if (st instanceof ObjectNode o && "Status".equals(o.path("kind").asText())) statusNode = o;
            }
            requestBody();
            if (policyDecision.level().atLeast(Level.RequestResponse) && info.resourceRequest()) {
                responseObject = loggable(parseJson(f.body()));
            }
            done = true;
            boolean durable = failClosed;
            if (policyDecision.omits(Stage.ResponseComplete)) return response;
            if (!emit(this, Stage.ResponseComplete, clock.instant(), durable)) throw refusal();
            return response;
        }

        private ApiResponse streaming(ApiResponse.Streaming s) {
            code = s.status();
            done = true;
            boolean durable = failClosed;
            if (durable || !policyDecision.omits(Stage.ResponseStarted)) {
                if (!emit(this, Stage.ResponseStarted, clock.instant(), durable)) throw refusal();
            }
            ApiResponse.Source inner = s.source();
            ApiResponse.Source wrapped = sink -> {
                sink.onClose(this::streamEnded);
                inner.start(sink);
            };
            return new ApiResponse.Streaming(s.status(), s.contentType(), wrapped, s.headers());
        }

        private void streamEnded() {
            if (!streamDone.compareAndSet(false, true)) return;
            try {
                if (!policyDecision.omits(Stage.ResponseComplete)) emit(this, Stage.ResponseComplete, clock.instant(), false);
            } catch (RuntimeException e) {
                log.error("audit: cannot record the end of {} ({})", req.path(), auditId, e);
            }
        }

        @Override
        public void failed(ApiException error) {
            try {
                doFailed(error);
            } catch (RuntimeException e) {
                log.error("audit: cannot record {} {} ({})", req.method(), req.path(), req.auditId(), e);
            }
        }

        private void doFailed(ApiException error) {
            if (done) return;
            done = true;
            code = error.code();
            statusNode = error.toStatus();
            if (code == 400) scrubQuotedFragments(statusNode);
            // kube-apiserver logs the request object once the handler decoded it: not for requests refused before
            // that (authorization) or whose body did not decode (400, 415).
            if (error.code() != 400 && error.code() != 415) requestBody();
            if (policyDecision.level().atLeast(Level.RequestResponse) && info.resourceRequest()) responseObject = statusNode.deepCopy();
            if (!policyDecision.omits(Stage.ResponseComplete)) emit(this, Stage.ResponseComplete, clock.instant(), failClosed);
        }

        /**
         * A body that does not parse is answered with the parser's words, which quote the offending token
         * ({@code Unrecognized token 'hunter2': was expecting …}): for a secret or a token that can be the value
         * itself, so in the audit event such fragments become HMACs.
         */
        private void scrubQuotedFragments(ObjectNode status) {
            if (Redactor.Subject.of(info.apiGroup(), info.resource(), info.subresource()) == Redactor.Subject.OTHER) return;
            String m = status.path("message").asText("");
            java.util.regex.Matcher q = QUOTED.matcher(m);
            StringBuilder sb = new StringBuilder();
            while (q.find()) q.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement("'" + redactor.hmac(q.group(1)) + "'"));
            q.appendTail(sb);
            if (!sb.toString().equals(m)) status.put("message", sb.toString());
        }

        void status(ObjectNode status, int code) {
            this.statusNode = status;
            this.code = code;
        }

        private boolean looksLikeStatus(ApiResponse.Full f) {
            if (f.status() < 300 && !verb.equals("delete") && !verb.equals("deletecollection")) return false;
            byte[] b = f.body();
            int n = Math.min(b.length, 80);
            String head = new String(b, 0, n, StandardCharsets.ISO_8859_1);
            return head.contains("\"Status\"");
        }

        /**
         * What the request body adds: the name, namespace, uid and resourceVersion of a created or updated object
         * (kube's {@code LogRequestObject}, at every level), and at Request level the body itself, redacted.
         */
        private void requestBody() {
            if (!info.resourceRequest() || decision == null || !decision.allowed()) return;
            boolean withObject = policyDecision.level().atLeast(Level.Request);
            switch (verb) {
                case "create", "update" -> {
                    JsonNode obj = decodeBody();
                    if (obj instanceof ObjectNode o) {
                        JsonNode meta = o.path("metadata");
                        if (refNamespace.isEmpty()) refNamespace = meta.path("namespace").asText("");
                        if (refName.isEmpty()) refName = meta.path("name").asText("");
                        if (refUid.isEmpty()) refUid = meta.path("uid").asText("");
                        if (refResourceVersion.isEmpty()) refResourceVersion = meta.path("resourceVersion").asText("");
                        if (withObject) requestObject = loggable(o);
                    }
                }
                case "patch" -> {
                    if (withObject) requestObject = loggable(decodeBody());
                }
                case "delete", "deletecollection" -> {
                    if (!withObject) return;
                    ObjectNode opts = Json.object();
                    opts.put("kind", "DeleteOptions");
                    opts.put("apiVersion", "meta.k8s.io/v1");
                    if (req.body().length > 0 && decodeBody() instanceof ObjectNode o) {
                        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) opts.set(e.getKey(), e.getValue());
                        }
                    }
                    requestObject = loggable(opts);
                }
                default -> { }
            }
        }

        private JsonNode decodeBody() {
            byte[] body = req.body();
            if (body.length == 0) return null;
            String ct = MediaTypes.base(req.header("Content-Type"));
            try {
                return switch (ct) {
                    case "", MediaTypes.JSON, MediaTypes.MERGE_PATCH, MediaTypes.STRATEGIC_MERGE_PATCH, MediaTypes.JSON_PATCH -> Json.parse(body);
                    case MediaTypes.YAML, MediaTypes.APPLY_PATCH -> Json.YAML.readTree(body);
                    case MediaTypes.PROTOBUF -> ProtobufDecoder.decode(body);
                    default -> null;
                };
            } catch (Exception e) {
                return null; // the handler refused it too; nothing to log
            }
        }

        /** Managed fields dropped if the policy says so, secret values replaced by their HMACs. */
        private JsonNode loggable(JsonNode n) {
            if (n == null || !(n.isObject() || n.isArray())) return null;
            if (policyDecision.omitManagedFields()) dropManagedFields(n);
            return redactor.redact(n, Redactor.Subject.of(info.apiGroup(), info.resource(), info.subresource()));
        }

        private static void dropManagedFields(JsonNode n) {
            if (n instanceof ObjectNode o) {
                if (o.path("metadata") instanceof ObjectNode m) m.remove("managedFields");
                JsonNode items = o.get("items");
                if (items instanceof ArrayNode a) for (JsonNode i : a) dropManagedFields(i);
                JsonNode rows = o.get("rows");
                if (rows instanceof ArrayNode a) for (JsonNode row : a) dropManagedFields(row.path("object"));
            }
        }

        private static JsonNode parseJson(byte[] b) {
            try {
                return Json.parse(b);
            } catch (Exception e) {
                return null;
            }
        }

        // -------------------------------------------------------------------------------------------- JSON

        /** Writes the event up to its open annotations map; returns whether the map was opened. */
        boolean serialize(Bytes b, Stage stage, Instant at) {
            b.raw(HEAD).ascii(policyDecision.level().name()).ascii("\",\"auditID\":").string(auditId)
                    .ascii(",\"stage\":\"").ascii(stage.name()).ascii("\",\"requestURI\":").string(requestUri)
                    .ascii(",\"verb\":").string(verb)
                    .ascii(",\"user\":");
            b.raw(userJson(user));
            if (impersonated != null) {
                b.ascii(",\"impersonatedUser\":");
                user(b, impersonated);
            }
            if (!sourceIps.isEmpty()) {
                b.ascii(",\"sourceIPs\":[");
                for (int i = 0; i < sourceIps.size(); i++) {
                    if (i > 0) b.ch(',');
                    b.string(sourceIps.get(i));
                }
                b.ch(']');
            }
            if (!userAgent.isEmpty()) b.ascii(",\"userAgent\":").string(userAgent);
            if (info.resourceRequest()) {
                b.ascii(",\"objectRef\":{");
                boolean[] first = {true};
                field(b, first, "resource", info.resource());
                field(b, first, "namespace", refNamespace);
                field(b, first, "name", refName);
                field(b, first, "uid", refUid);
                field(b, first, "apiGroup", info.apiGroup());
                field(b, first, "apiVersion", info.apiVersion());
                field(b, first, "resourceVersion", refResourceVersion);
                field(b, first, "subresource", info.subresource());
                b.ch('}');
            }
            if (stage != Stage.RequestReceived && code != 0) {
                b.ascii(",\"responseStatus\":{\"metadata\":{}");
                if (statusNode != null) {
                    text(b, "status", statusNode.path("status").asText(""));
                    text(b, "message", statusNode.path("message").asText(""));
                    text(b, "reason", statusNode.path("reason").asText(""));
                    JsonNode details = statusNode.get("details");
                    if (details != null && details.isObject() && !details.isEmpty()) b.ascii(",\"details\":").json(details);
                }
                b.ascii(",\"code\":").number(code).ch('}');
            }
            if (requestObject != null && stage != Stage.RequestReceived) b.ascii(",\"requestObject\":").json(requestObject);
            if (responseObject != null && stage == Stage.ResponseComplete) b.ascii(",\"responseObject\":").json(responseObject);
            b.ascii(",\"requestReceivedTimestamp\":");
            MicroTime.append(b, received);
            b.ascii(",\"stageTimestamp\":");
            MicroTime.append(b, stage == Stage.RequestReceived ? received : at);
            if (decision == null || stage == Stage.RequestReceived) return false;
            // Sorted keys, as Go writes a map; the chain annotation, which sorts after these, is appended by each backend.
            b.ascii(",\"annotations\":{\"authorization.k8s.io/decision\":\"").ascii(decision.allowed() ? "allow" : "forbid")
                    .ascii("\",\"authorization.k8s.io/reason\":").string(decision.reason());
            return true;
        }

        private static void field(Bytes b, boolean[] first, String name, String value) {
            if (value == null || value.isEmpty()) return;
            if (!first[0]) b.ch(',');
            first[0] = false;
            b.name(name).string(value);
        }

        private static void text(Bytes b, String name, String value) {
            if (!value.isEmpty()) b.ch(',').name(name).string(value);
        }

        static void user(Bytes b, UserInfo u) {
            b.ch('{');
            if (u == null) {
                b.ch('}');
                return;
            }
            boolean first = true;
            if (!u.name().isEmpty()) {
                b.name("username").string(u.name());
                first = false;
            }
            if (u.uid() != null && !u.uid().isEmpty()) {
                if (!first) b.ch(',');
                b.name("uid").string(u.uid());
                first = false;
            }
            if (u.groups() != null && !u.groups().isEmpty()) {
                if (!first) b.ch(',');
                b.name("groups").ch('[');
                for (int i = 0; i < u.groups().size(); i++) {
                    if (i > 0) b.ch(',');
                    b.string(u.groups().get(i));
                }
                b.ch(']');
                first = false;
            }
            if (u.extra() != null && !u.extra().isEmpty()) {
                if (!first) b.ch(',');
                b.name("extra").ch('{');
                boolean f = true;
                for (Map.Entry<String, List<String>> e : new TreeMap<>(u.extra()).entrySet()) {
                    if (!f) b.ch(',');
                    f = false;
                    b.string(e.getKey()).ch(':').ch('[');
                    List<String> vs = e.getValue();
                    for (int i = 0; i < vs.size(); i++) {
                        if (i > 0) b.ch(',');
                        b.string(vs.get(i));
                    }
                    b.ch(']');
                }
                b.ch('}');
            }
            b.ch('}');
        }
    }
}
