// The in-cluster browser tests: the console installed by Helm on the testbed's real nodes,
// reached through kubectl port-forward (see run.sh). Same browser settings as the other tests.
import base from "../playwright.config.mjs";

export default { ...base, testDir: ".", outputDir: "../test-results/incluster", timeout: 180_000 };
