package dev.strongroom.server.authz;

import dev.strongroom.api.errors.ApiException;
import dev.strongroom.api.errors.GroupResource;
import dev.strongroom.server.authn.UserInfo;
import dev.strongroom.server.transport.ApiRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's impersonation filter: {@code Impersonate-User}, {@code Impersonate-Group} (repeatable),
 * {@code Impersonate-Uid}, {@code Impersonate-Extra-<key>}. Each requested identity piece needs the
 * {@code impersonate} verb; the request then proceeds as the impersonated user.
 */
public final class Impersonation {
    private static final String SA_PREFIX = "system:serviceaccount:";

    private Impersonation() {}

    /** @return the user to act as: {@code user} itself when no impersonation was requested */
    public static UserInfo apply(ApiRequest req, UserInfo user, Authorizer authorizer) {
        String name = req.header("Impersonate-User");
        List<String> groups = req.headerValues("Impersonate-Group");
        String uid = req.header("Impersonate-Uid");
        Map<String, List<String>> extra = extras(req);
        if (name == null && groups.isEmpty() && uid == null && extra.isEmpty()) return user;
        if (name == null || name.isEmpty()) {
            throw ApiException.internal("requested impersonation of groups, uid or extra without impersonating a user");
        }
        List<String> resultGroups = new ArrayList<>();
        if (name.startsWith(SA_PREFIX) && name.substring(SA_PREFIX.length()).contains(":")) {
            String rest = name.substring(SA_PREFIX.length());
            String ns = rest.substring(0, rest.indexOf(':')), sa = rest.substring(rest.indexOf(':') + 1);
            check(authorizer, user, "", "serviceaccounts", ns, sa);
            if (groups.isEmpty()) {
                resultGroups.add("system:serviceaccounts");
                resultGroups.add("system:serviceaccounts:" + ns);
            }
        } else {
            check(authorizer, user, "", "users", "", name);
        }
        for (String g : groups) {
            check(authorizer, user, "", "groups", "", g);
            resultGroups.add(g);
        }
        if (uid != null) check(authorizer, user, "authentication.k8s.io", "uids", "", uid);
        for (Map.Entry<String, List<String>> e : extra.entrySet()) {
            for (String v : e.getValue()) {
                Attributes a = new Attributes(user, "impersonate", true, "", "authentication.k8s.io", "", "", "userextras", e.getKey(), v);
                if (!authorizer.authorize(a).allowed()) throw forbidden(user, "userextras/" + e.getKey(), "authentication.k8s.io", v);
            }
        }
        // Everyone impersonated is authenticated, except the anonymous user (upstream's rule).
        if (name.equals(UserInfo.ANONYMOUS.name())) {
            if (!resultGroups.contains(UserInfo.UNAUTHENTICATED)) resultGroups.add(UserInfo.UNAUTHENTICATED);
        } else if (!resultGroups.contains(UserInfo.AUTHENTICATED) && !resultGroups.contains(UserInfo.UNAUTHENTICATED)) {
            resultGroups.add(UserInfo.AUTHENTICATED);
        }
        return new UserInfo(name, uid == null ? "" : uid, List.copyOf(resultGroups), extra);
    }

    private static void check(Authorizer authorizer, UserInfo user, String group, String resource, String ns, String name) {
        Attributes a = new Attributes(user, "impersonate", true, "", group, "", ns, resource, "", name);
        if (!authorizer.authorize(a).allowed()) throw forbidden(user, resource, group, name, ns);
    }

    private static ApiException forbidden(UserInfo user, String resource, String group, String name) {
        return forbidden(user, resource, group, name, "");
    }

    private static ApiException forbidden(UserInfo user, String resource, String group, String name, String ns) {
        String scope = ns.isEmpty() ? "at the cluster scope" : "in the namespace \"" + ns + "\"";
        return ApiException.forbidden(new GroupResource(group, resource), name,
                "User \"" + user.name() + "\" cannot impersonate resource \"" + resource + "\" in API group \"" + group + "\" " + scope);
    }

    private static Map<String, List<String>> extras(ApiRequest req) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String h : req.headerNames()) {
            if (!h.regionMatches(true, 0, "Impersonate-Extra-", 0, 18)) continue;
            String key = URLDecoder.decode(h.substring(18), StandardCharsets.UTF_8).toLowerCase();
            out.computeIfAbsent(key, k -> new ArrayList<>()).addAll(req.headerValues(h));
        }
        return out;
    }
}
