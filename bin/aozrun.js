#!/usr/bin/env node
// The shipped CLI is one esbuild bundle (dist/), built by `npm ci` through the prepare script.
import { main } from '../dist/aozrun.js';

await main(process.argv);
