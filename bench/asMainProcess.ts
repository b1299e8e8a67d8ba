// Imported first by every benchmark that times or weighs the core, and by each child process that
// runs it: V8 then compiles the core's code as in the app's main process (src-main/engineTiers.ts),
// and the baselines measured beside it in the same process alike. LOCALPOST_BENCH_ALL_TIERS=1 keeps
// every tier, Node's default, to compare.
import { limitEngineTiers } from '../src-main/engineTiers';

if (process.env.LOCALPOST_BENCH_ALL_TIERS !== '1') limitEngineTiers();
