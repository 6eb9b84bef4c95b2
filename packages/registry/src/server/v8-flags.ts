/**
 * V8 settings of the registry's server process, applied by main.ts before anything else loads.
 *
 * Allocation-site pretenuring: once enough objects from one allocation site survive a young-generation
 * collection, V8 allocates that site's objects straight in the old generation. A burst at start (the
 * warm-up, the first seconds of traffic) can tip the sites of a request's short-lived objects into it;
 * they then fill the old generation, and every scavenge walks their pointers into the young one. Measured
 * (bench/RESULTS.md run 24): half the processes started that way settled at about 22k metadata requests
 * a second instead of 30k, their scavenges taking 4 ms instead of 0.7 and the p99 9 ms instead of 3; with
 * pretenuring off, every start settled at 30k. Set at start rather than as a command-line flag so that
 * `npm start`, cluster workers and any process manager get it alike.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
