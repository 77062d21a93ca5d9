/** For other packages' tests: the registry fixtures, and ways to fingerprint and to damage a database file. */
export { corruptFile } from "./fixtures/corrupt";
export { FIXTURES_DIR, fileChecksum, logicalDump, readFixture } from "./fixtures/database-fingerprint";
