// The Pyodide machine's Node driver: node pyodide_machine.js DIST REPO MOUNT JOB OUT
//
// Loads Pyodide from DIST (build/pyodide, scripts/pyodide_dist.py) with rnnlib and everything it
// brings, mounts the checkout REPO at MOUNT inside Pyodide, runs scripts/pyodide_guest.py's main
// on the JSON job in the file JOB and writes what it returns (JSON) to the file OUT. Pyodide's
// own output goes to stderr. scripts/pyodide_machine.py writes the job and compares the results.
"use strict";
const fs = require("fs");
const path = require("path");

async function main([dist, repo, mount, job, out]) {
  const { loadPyodide } = require(path.resolve(dist, "pyodide.js"));
  const say = (line) => process.stderr.write(line + "\n");
  const py = await loadPyodide({ indexURL: path.resolve(dist) + "/", stdout: say, stderr: say });
  await py.loadPackage(["rnnlib"], { messageCallback: () => {} });
  py.FS.mkdirTree(mount);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(repo) }, mount);
  py.pyimport("sys").path.insert(0, `${mount}/scripts`);
  const guest = py.pyimport("pyodide_guest");
  fs.writeFileSync(out, guest.main(fs.readFileSync(job, "utf8")));
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
