// Runs jobs on MicroPython's WebAssembly port (a 32-bit VM, 16-byte GC blocks).
//
//   node wasm_vm.mjs PACKAGE_DIR JOB_TIMEOUT_MS < jobs.json > results.json
//
// jobs.json is a list of {heapsize, files: {path: base64}, steps: [python],
// fixed_heap}. Each job gets a fresh VM with `heapsize` bytes of GC heap and
// the files written to its filesystem, then runs each step as its own
// top-level call. The port collects garbage only when a top-level call returns,
// and only if one was asked for meanwhile (ports/webassembly/main.c: gc_collect()
// just marks one pending; gc.collect() and every 16 KiB allocated ask), so the
// step after a `gc.collect()` step starts on a clean heap. With fixed_heap the VM cannot add heap
// areas (MICROPY_GC_SPLIT_HEAP_AUTO takes them from malloc: the wasm memory is
// kept from growing and what malloc has left is used up first), so an
// allocation past `heapsize` raises a real MemoryError, as on a board.
// Each result is {outputs: [stdout of each step], error: "Type: message" | null}.
//
// The jobs run in a worker thread. A VM that stops answering (an exception it
// cannot report for want of heap ends in nlr_jump_fail, an endless loop in
// ports/webassembly/main.c) is ended after JOB_TIMEOUT_MS and its job reported
// with the error "Hang: ..."; the next jobs go to a new worker.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

// what runPython itself mallocs (its source text and a result slot) must still be there
const RESERVE = 8192;

async function worker() {
    const { packageDir, jobs } = workerData;
    const { loadMicroPython } = await import(pathToFileURL(path.join(packageDir, "micropython.mjs")).href);
    const decoder = new TextDecoder();
    // Emscripten's sbrk grows the memory through WebAssembly.Memory.prototype.grow;
    // while `frozen` a grow fails, as it would on a full address space
    let frozen = false;
    const grow = WebAssembly.Memory.prototype.grow;
    WebAssembly.Memory.prototype.grow = function (pages) {
        if (frozen) throw new RangeError("memory is fixed for this job");
        return grow.call(this, pages);
    };
    console.error = () => {};   // Emscripten reports each refused grow there

    function useUpMalloc(module) {
        // the largest blocks first, then smaller ones, until not even 16 bytes are left
        const reserve = module._malloc(RESERVE);
        for (let size = 1 << 24; size >= 16; size = Math.floor(size / 2)) {
            while (module._malloc(size) !== 0) { /* keep it */ }
        }
        module._free(reserve);
    }

    async function runJob(job) {
        let out = "";
        const mp = await loadMicroPython({
            heapsize: job.heapsize, linebuffer: false,
            stdout: (data) => { out += decoder.decode(data); },
            stderr: (data) => { out += decoder.decode(data); },
        });
        for (const [file, b64] of Object.entries(job.files || {})) {
            const parts = file.split("/").filter(Boolean);
            for (let i = 1; i < parts.length; i++) {
                const dir = "/" + parts.slice(0, i).join("/");
                if (!mp.FS.analyzePath(dir).exists) mp.FS.mkdir(dir);
            }
            mp.FS.writeFile(file, Buffer.from(b64, "base64"));
        }
        frozen = Boolean(job.fixed_heap);
        if (frozen) useUpMalloc(mp._module);
        const outputs = [];
        for (const step of job.steps) {
            out = "";
            parentPort.postMessage({ step: outputs.length, outputs });
            try {
                mp.runPython(step);
            } catch (e) {
                outputs.push(out);
                const text = String(e.message || e).trim().split("\n").pop();
                return { outputs, error: text };
            }
            outputs.push(out);
        }
        return { outputs, error: null };
    }

    for (const job of jobs) {
        const result = await runJob(job);
        frozen = false;
        parentPort.postMessage({ result });
    }
}

function main() {
    const packageDir = process.argv[2];
    const timeout = Number(process.argv[3] || 60000);
    const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
    const results = [];
    const self = fileURLToPath(import.meta.url);

    function start() {
        if (results.length === jobs.length) {
            process.stdout.write(JSON.stringify(results));
            return;
        }
        const w = new Worker(self, { workerData: { packageDir, jobs: jobs.slice(results.length) } });
        let progress = { step: 0, outputs: [] };
        let done = false;   // this worker is finished with (or by us)
        let timer = null;
        const finish = (result) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            if (result) results.push(result);
            w.terminate().then(start);
        };
        const arm = () => {
            clearTimeout(timer);
            timer = setTimeout(() => finish({ outputs: progress.outputs,
                error: `Hang: step ${progress.step} did not return in ${timeout} ms` }), timeout);
        };
        arm();
        w.on("message", (msg) => {
            if (msg.result) {
                results.push(msg.result);
                progress = { step: 0, outputs: [] };
                if (results.length === jobs.length) return finish(null);
            } else {
                progress = msg;
            }
            arm();
        });
        w.on("error", (e) => finish({ outputs: progress.outputs, error: `Crash: ${String(e.message || e)}` }));
        w.on("exit", () => finish({ outputs: progress.outputs, error: "Crash: the VM exited" }));
    }
    start();
}

if (isMainThread) main(); else await worker();
