/** A text listing of an HDF5 file's groups and datasets with shapes and sizes, for `hdmea inspect`. */
import type { H5Dataset, H5Group } from "../hdf5/bridge";

const TYPE_NAMES: Readonly<Record<number, string>> = { 0: "int", 1: "float", 3: "string", 6: "compound", 8: "enum", 9: "vlen" };

/** Lines describing `group` down to `maxDepth` levels; long member lists are cut after `maxMembers`. */
export function describeTree(group: H5Group, options: { maxDepth: number; maxMembers: number }): string[] {
  const lines: string[] = [];
  const walk = (g: H5Group, prefix: string, depth: number) => {
    const names = g.keys();
    names.slice(0, options.maxMembers).forEach((name) => {
      let entity: unknown;
      try {
        entity = g.get(name);
      } catch {
        lines.push(`${prefix}${name}  (unresolvable link)`);
        return;
      }
      const type = (entity as { type?: string } | null)?.type;
      if (type === "Group") {
        const count = (entity as H5Group).keys().length;
        lines.push(`${prefix}${name}/  (${count} member${count === 1 ? "" : "s"})`);
        if (depth + 1 < options.maxDepth) walk(entity as H5Group, `${prefix}  `, depth + 1);
      } else if (type === "Dataset") {
        lines.push(`${prefix}${name}  ${describeDataset(entity as H5Dataset)}`);
      } else {
        lines.push(`${prefix}${name}  (${type ?? "link"})`);
      }
    });
    if (names.length > options.maxMembers) lines.push(`${prefix}… ${names.length - options.maxMembers} more`);
  };
  walk(group, "  ", 0);
  return lines;
}

function describeDataset(dataset: H5Dataset): string {
  const metadata = dataset.metadata;
  const shape = metadata.shape ?? [];
  const count = shape.reduce((a, b) => a * b, 1);
  const kind = TYPE_NAMES[metadata.type] ?? `type ${metadata.type}`;
  const element = kind === "int" ? `${metadata.signed ? "int" : "uint"}${metadata.size * 8}` : kind === "float" ? `float${metadata.size * 8}` : kind;
  const fields = metadata.compound_type ? ` {${metadata.compound_type.members.slice(0, 6).map((m) => m.name).join(", ")}${metadata.compound_type.nmembers > 6 ? ", …" : ""}}` : "";
  return `${element}${fields} [${shape.join(" × ")}]  ${formatBytes(count * metadata.size)}`;
}

/** Bytes as B / kB / MB / GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1e3) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
