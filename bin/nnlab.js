#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    'nnlab: dist/cli.js is missing. Run `npm install` (or `npm run build`) in the NN Lab folder first.\n',
  );
  process.exit(2);
}
require(cli);
