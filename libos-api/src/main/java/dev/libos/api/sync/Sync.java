package dev.libos.api.sync;

/** Factories for the libos synchronisation primitives. */
public interface Sync {
    Mutex newMutex();

    CondVar newCondVar();

    WaitQueue newWaitQueue();

    /** The kernel's RCU domain. */
    Rcu rcu();
}
