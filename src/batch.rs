//! Checking many answers: read, decode and check each input in parallel (rayon), results in input
//! order. Every input ends up either as an answer report or as an error entry.

use crate::input::Input;
use crate::report::{Checker, EssayReport, InputError};
use crate::student::NamePattern;
use rayon::prelude::*;

/// How to check a batch.
pub struct Options<'a> {
    /// Worker threads (0: one per core).
    pub jobs: usize,
    pub forced: Option<&'static encoding_rs::Encoding>,
    pub name_pattern: Option<&'a NamePattern>,
    /// Largest file read, in bytes.
    pub max_bytes: u64,
}

/// The outcome of one input.
pub enum Outcome {
    Checked(Box<EssayReport>),
    Failed(InputError),
}

/// Read a regular file of at most `max` bytes (pipes, devices and folders are refused).
pub fn read_limited(path: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    // Look before opening: opening a named pipe or a device would block or never end.
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.is_dir() {
        return Err("is a folder".into());
    }
    if !meta.is_file() {
        return Err("not a regular file (a pipe, socket or device)".into());
    }
    // Too large already: not read at all (the read below still stops past the limit, should the
    // file grow meanwhile).
    if meta.len() > max {
        return Err(too_large_message(max));
    }
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    // Room for the whole file (and the byte past the limit) at once: read in one call, not in
    // growing steps.
    let mut buf = Vec::with_capacity(meta.len().min(max) as usize + 1);
    f.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    too_large(&buf, max)?;
    Ok(buf)
}

/// The largest answer `--max-bytes` allows, in bytes (1 GiB; a larger value is taken as this
/// one): byte offsets into an answer's normalised text and its marks are kept in 32 bits, and
/// normalising may lengthen a text by a third (a compatibility ideograph of three bytes folded to
/// one of four).
pub const MAX_ANSWER_BYTES: u64 = 1 << 30;

fn too_large(bytes: &[u8], max: u64) -> Result<(), String> {
    if bytes.len() as u64 > max {
        return Err(too_large_message(max));
    }
    Ok(())
}

fn too_large_message(max: u64) -> String {
    format!("larger than {max} bytes (--max-bytes): not an answer")
}

/// Check one input. `stdin` holds standard input when an input is `-`.
pub fn check_one(
    checker: &Checker,
    input: &Input,
    stdin: Option<&[u8]>,
    opts: &Options,
) -> Outcome {
    let student = opts.name_pattern.map(|p| p.student(&input.display));
    let fail = |error: String| {
        Outcome::Failed(InputError {
            file: input.display.clone(),
            file_lossy: input.lossy,
            student: student.clone(),
            error,
            order: 0,
        })
    };
    if let Some(e) = &input.error {
        return fail(e.clone());
    }
    let bytes = match &input.path {
        None => match stdin {
            Some(b) => match too_large(b, opts.max_bytes) {
                Ok(()) => b.to_vec(),
                Err(e) => return fail(e),
            },
            None => return fail("standard input given twice".into()),
        },
        Some(p) => match read_limited(p, opts.max_bytes) {
            Ok(b) => b,
            Err(e) => return fail(e),
        },
    };
    match checker.check_bytes(&input.display, input.lossy, &bytes, opts.forced) {
        Ok(mut r) => {
            r.student = student.clone();
            Outcome::Checked(Box::new(r))
        }
        Err(e) => fail(e.to_string()),
    }
}

/// Check every input, on `opts.jobs` threads (0: one per core); `done` is called once per
/// finished input (for a progress bar). The outcomes in input order.
pub fn check_all(
    checker: &Checker,
    inputs: &[Input],
    stdin: Option<&[u8]>,
    opts: &Options,
    done: &(dyn Fn() + Sync),
) -> Vec<Outcome> {
    let Some(pool) = thread_pool(opts.jobs, inputs.len()) else {
        return check_here(checker, inputs, stdin, opts, done, &|o| o);
    };
    let stdin_for = stdin_for(inputs, stdin);
    pool.install(|| {
        inputs
            .par_iter()
            .zip(stdin_for.par_iter())
            .enumerate()
            .map(|(n, (i, s))| check_numbered(checker, n, i, *s, opts, done, &|o| o))
            .collect()
    })
}

/// [`check_all`] on the calling thread, one input after another, whatever `opts.jobs` says (for
/// a part of a run whose parts are checked on several threads at once), each outcome handed to
/// `finish` (so that a report can be written out and freed on the thread that made it): the
/// results of `finish`, in input order.
pub fn check_here<T>(
    checker: &Checker,
    inputs: &[Input],
    stdin: Option<&[u8]>,
    opts: &Options,
    done: &(dyn Fn() + Sync),
    finish: &(dyn Fn(Outcome) -> T + Sync),
) -> Vec<T> {
    let stdin_for = stdin_for(inputs, stdin);
    inputs
        .iter()
        .zip(&stdin_for)
        .enumerate()
        .map(|(n, (i, s))| check_numbered(checker, n, i, *s, opts, done, finish))
        .collect()
}

/// Standard input for each input: it can be read once, so the first `-` gets it.
fn stdin_for<'s>(inputs: &[Input], stdin: Option<&'s [u8]>) -> Vec<Option<&'s [u8]>> {
    let mut stdin_used = false;
    inputs
        .iter()
        .map(|i| {
            if i.path.is_none() && !stdin_used {
                stdin_used = true;
                stdin
            } else {
                None
            }
        })
        .collect()
}

/// Check input `n` of a list, number its outcome, count it done and hand it to `finish`.
fn check_numbered<T>(
    checker: &Checker,
    n: usize,
    input: &Input,
    stdin: Option<&[u8]>,
    opts: &Options,
    done: &(dyn Fn() + Sync),
    finish: &(dyn Fn(Outcome) -> T + Sync),
) -> T {
    let mut o = check_one(checker, input, stdin, opts);
    match &mut o {
        Outcome::Checked(r) => r.order = n,
        Outcome::Failed(e) => e.order = n,
    }
    done();
    finish(o)
}

/// The worker threads for checking `files` files with `jobs` jobs (0: one per core), built once per
/// run. `None` for one job, or when the threads cannot be made: the checks then run on the
/// calling thread.
pub fn thread_pool(jobs: usize, files: usize) -> Option<rayon::ThreadPool> {
    // More threads than inputs (or than 256) only cost: cap them.
    let jobs = if jobs == 0 {
        0
    } else {
        jobs.min(files.max(1)).min(256)
    };
    if jobs == 1 {
        return None;
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .ok()
}
