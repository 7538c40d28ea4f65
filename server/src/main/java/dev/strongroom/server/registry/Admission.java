package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.server.authn.UserInfo;

import java.util.List;

/**
 * Checks that run after validation and before storage, as kube-apiserver's admission plugins: namespace lifecycle,
 * RBAC escalation prevention. Throw an {@code ApiException} to refuse.
 */
public interface Admission {
    default void admitCreate(ResourceDef def, ObjectNode obj, UserInfo user) {}

    default void admitUpdate(ResourceDef def, ObjectNode obj, ObjectNode old, UserInfo user) {}

    static Admission chain(List<Admission> plugins) {
        List<Admission> ps = List.copyOf(plugins);
        return new Admission() {
            @Override
            public void admitCreate(ResourceDef def, ObjectNode obj, UserInfo user) {
                for (Admission a : ps) a.admitCreate(def, obj, user);
            }

            @Override
            public void admitUpdate(ResourceDef def, ObjectNode obj, ObjectNode old, UserInfo user) {
                for (Admission a : ps) a.admitUpdate(def, obj, old, user);
            }
        };
    }
}
