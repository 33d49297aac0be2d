#!/usr/bin/env node
// Committed entry point so npm can link `weft` before the TypeScript build has run.
import "../dist/bin.js";
