import { type Fact, FactList } from "~/components/facts";
import { formatCount, formatDateTime, formatGigabytes } from "~/lib/format";

interface Facts {
  modelKey: string;
  type: string;
  format: string | null;
  publisher: string | null;
  path: string;
  sizeBytes: number;
  architecture: string | null;
  quantization: string | null;
  params: string | null;
  declaredContext: number;
  vision: boolean;
  toolUse: boolean;
  isPresent: boolean;
  firstSeenAt: Date;
  lastSeenAt: Date;
  host: { name: string };
}

const yesNo = (value: boolean) => (value ? "Yes" : "No");

export function ModelFacts({ model }: { model: Facts }) {
  const facts: Fact[] = [
    ["Host", model.host.name],
    ["Key", model.modelKey, "font-mono text-xs"],
    ["Path", model.path, "font-mono text-xs break-all"],
    ["Type", model.type],
    ["Size", formatGigabytes(model.sizeBytes)],
    ["Declared context", formatCount(model.declaredContext)],
    ["Architecture", model.architecture ?? "-"],
    ["Quantization", model.quantization ?? "-"],
    ["Parameters", model.params ?? "-"],
    ["Format", model.format ?? "-"],
    ["Publisher", model.publisher ?? "-"],
    ["Vision", yesNo(model.vision)],
    ["Tool use", yesNo(model.toolUse)],
    ["On the host now", yesNo(model.isPresent)],
    ["First seen", formatDateTime(model.firstSeenAt)],
    ["Last seen", formatDateTime(model.lastSeenAt)],
  ];
  return <FactList facts={facts} />;
}
