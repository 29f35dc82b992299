/**
 * Property tests run with a fixed seed so that CI is deterministic (house rule: pure logic is tested
 * deterministically). Explore other inputs with FC_SEED=<n> (or FC_SEED=random); a failure prints the
 * seed and path to replay it.
 */
import fc from 'fast-check';

const raw = process.env.FC_SEED;
const seed = raw === 'random' ? Date.now() ^ (Math.random() * 2 ** 31) : Number(raw ?? 20261126);
fc.configureGlobal({ seed });
