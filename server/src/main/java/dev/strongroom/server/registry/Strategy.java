package dev.strongroom.server.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strongroom.api.errors.FieldError;

import java.util.List;
import java.util.Map;

/**
 * A resource's rules, kept out of the HTTP code as kube-apiserver's registry strategies do: defaulting, the
 * create/update preparation, validation, selectable fields, table columns and JSON field order.
 */
public interface Strategy {

    /** Defaulting and conversion that also apply to updates and patches (e.g. Secret stringData → data). */
    default void normalize(ObjectNode obj) {}

    default void prepareForCreate(ObjectNode obj) {}

    default void prepareForUpdate(ObjectNode obj, ObjectNode old) {}

    List<FieldError> validate(ObjectNode obj);

    List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old);

    /** Values of the fields a field selector may name, for this object. */
    Map<String, String> selectableFields(ObjectNode obj);

    /** Top-level JSON field order after kind/apiVersion/metadata (Go struct order). */
    List<String> fieldOrder();

    /** Fields under the top level whose values are maps and are serialised with sorted keys, as Go does. */
    default List<String> sortedMapFields() { return List.of(); }

    TableConvertor table();

    /** ServiceAccounts and Namespaces answer a delete with the object; most others with a Status. */
    default boolean returnDeletedObject() { return false; }
}
