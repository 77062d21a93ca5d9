import type { Metadata } from "next";
import { PlaygroundView } from "./_components/playground-view";

export const metadata: Metadata = { title: "Playground" };

export default function PlaygroundPage() {
  return <PlaygroundView />;
}
