package dev.strongroom.server.audit;

import dev.strongroom.api.errors.ApiException;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.authz.Decision;
import dev.strongroom.server.request.RequestInfo;
import dev.strongroom.server.transport.ApiRequest;
import dev.strongroom.server.transport.ApiResponse;

/**
 * Where the handler chain reports what happens to each request, in the order kube-apiserver's filters learn it:
 * authentication → audit begins → impersonation → authorization → handler → response.
 */
public interface Auditor {

    /**
     * A request was authenticated (or is anonymous on a public path). In fail-closed mode this may refuse the
     * request by throwing a 503 {@link ApiException} before anything else happens.
     */
    Record begin(ApiRequest req, RequestInfo info, UserInfo user);

    /**
     * True if {@link #begin} or {@link Record#completed} may block until an event is durable (fail-closed mode): the
     * handler chain then serves every request off the event loop.
     */
    default boolean blocksRequests() { return false; }

    /** A request carried no valid credentials and is refused with 401. */
    void unauthenticated(ApiRequest req, RequestInfo info, ApiException refusal);

    /** One request's audit record, filled as the request proceeds. */
    interface Record {
        void impersonated(UserInfo asUser);

        void authorized(Decision decision);

        /**
         * The handler answered. Returns the response to send: the same one, or for streams a wrapper that reports
         * ResponseStarted now and ResponseComplete when the stream ends.
         */
        ApiResponse completed(ApiResponse response);

        /** The request failed with a Status. */
        void failed(ApiException error);
    }

    Auditor NONE = new Auditor() {
        @Override
        public Record begin(ApiRequest req, RequestInfo info, UserInfo user) { return NO_RECORD; }

        @Override
        public void unauthenticated(ApiRequest req, RequestInfo info, ApiException refusal) {}
    };

    Record NO_RECORD = new Record() {
        @Override public void impersonated(UserInfo asUser) {}
        @Override public void authorized(Decision decision) {}
        @Override public ApiResponse completed(ApiResponse response) { return response; }
        @Override public void failed(ApiException error) {}
    };
}
