package dev.corral.monitor;

/**
 * What to do when a registered fd turns ready. Called on the loop thread only, one event at a time;
 * it must not block. A one-shot fd (a pidfd) calls {@link Registration#release()} first; a counting
 * fd (an OOM eventfd, later) reads it and stays registered.
 */
@FunctionalInterface
interface ReadyHandler {
  /**
   * @param registration the fd that turned ready
   * @param events the epoll event bits (EPOLLIN, EPOLLHUP, ...)
   */
  void ready(Registration registration, int events);
}
