package dev.strongroom.scan.input;

import com.fasterxml.jackson.databind.JsonNode;

/** One parsed document of a source: its tree and where each node of it came from. */
public record LoadedDocument(String origin, JsonNode root, SourceMap sourceMap, Position start) {}
