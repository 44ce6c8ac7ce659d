package keyboss.charts.monitoring;

import keyboss.charts.data.ValkeySentinel;

/**
 * What a {@link RedisExporter} reads.
 *
 * @param valkey the Valkey data nodes and their Sentinels. Required.
 */
public record RedisExporterProps(ValkeySentinel valkey) {
}
