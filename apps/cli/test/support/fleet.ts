export { embedding, GiB, KiB, llm } from "@lmstrix/lmstudio-emulator/testing";
