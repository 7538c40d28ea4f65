package dev.strongroom.scan.engine;

import dev.strongroom.scan.input.ParseProblem;
import dev.strongroom.scan.model.KubeObject;
import java.util.List;

/**
 * Everything read for one scan: objects, documents that failed to parse, and counts for the summary.
 *
 * @param skippedDocuments parsed documents that are not Kubernetes objects (Helm values, front matter...)
 * @param warnings         things the user should know that are not findings (a resource the cluster refused to list)
 */
public record LoadedInputs(List<KubeObject> objects, List<ParseProblem> problems, int sources, int skippedDocuments,
                           List<String> warnings) {}
