// Runs the test files named on the command line, or every test file when none is named.
import { findTestFiles, runTestFiles } from './test-files.mjs';

const named = process.argv.slice(2);
const files = named.length > 0 ? named : findTestFiles();
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
process.exit(runTestFiles(files));
