// Compiler threads: a pool that grows to the number of compiles running at once. Each
// waits for one job at a time; the caller blocks until its job is done.
#include "jit/compiler_stack.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <vector>

#include <pthread.h>

namespace nogil::jit {

namespace {

struct Job {
  const std::function<void()> *work = nullptr;
  std::exception_ptr failure;
  bool done = false;
};

/// One compiler thread. Guarded by the pool's mutex, except `job`'s work, which only the
/// thread runs.
struct Worker {
  std::condition_variable wake;
  Job *job = nullptr;
};

struct Pool {
  std::mutex mutex;
  std::condition_variable finished; ///< a job is done (its caller checks which)
  std::vector<Worker *> idle;
};

/// Leaked on purpose: compiler threads outlive static destructors at exit.
Pool *pool = new Pool;

thread_local bool isCompilerThread = false;

void *workerMain(void *argument) {
  auto *worker = static_cast<Worker *>(argument);
  isCompilerThread = true;
  std::unique_lock lock(pool->mutex);
  for (;;) {
    worker->wake.wait(lock, [&] { return worker->job != nullptr; });
    Job *job = worker->job;
    lock.unlock();
    try {
      (*job->work)();
    } catch (...) {
      job->failure = std::current_exception();
    }
    lock.lock();
    job->done = true;
    worker->job = nullptr;
    pool->idle.push_back(worker);
    pool->finished.notify_all();
  }
}

/// A new compiler thread, or null when none can be started.
Worker *startWorker() {
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0)
    return nullptr;
  auto *worker = new Worker;
  pthread_t thread;
  bool started = pthread_attr_setstacksize(&attributes, kCompilerStackBytes) == 0 &&
                 pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED) == 0 &&
                 pthread_create(&thread, &attributes, workerMain, worker) == 0;
  pthread_attr_destroy(&attributes);
  if (!started) {
    delete worker;
    return nullptr;
  }
  return worker;
}

/// In a child after fork() only the forking thread exists: the pool's threads are gone
/// (and its mutex may be held by one of them), so the child starts a pool of its own.
void forgetPoolInChild() { pool = new Pool; }

} // namespace

void runOnCompilerStack(const std::function<void()> &work) {
  static const bool forkHandled = pthread_atfork(nullptr, nullptr, forgetPoolInChild) == 0;
  (void)forkHandled;
  if (isCompilerThread) { // a compile inside a compile: already on a large stack
    work();
    return;
  }
  Job job{&work, nullptr, false};
  std::unique_lock lock(pool->mutex);
  Worker *worker = nullptr;
  if (!pool->idle.empty()) {
    worker = pool->idle.back();
    pool->idle.pop_back();
  } else {
    lock.unlock();
    worker = startWorker();
    lock.lock();
  }
  if (!worker) {
    lock.unlock();
    work();
    return;
  }
  worker->job = &job;
  worker->wake.notify_one();
  Pool *current = pool;
  current->finished.wait(lock, [&] { return job.done; });
  lock.unlock();
  if (job.failure)
    std::rethrow_exception(job.failure);
}

bool onCompilerStack() { return isCompilerThread; }

} // namespace nogil::jit
