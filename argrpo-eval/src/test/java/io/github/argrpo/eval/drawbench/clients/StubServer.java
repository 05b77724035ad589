package io.github.argrpo.eval.drawbench.clients;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

/** A local HTTP server on 127.0.0.1 that records each request body and answers with {@code reply(body)}. */
final class StubServer implements AutoCloseable {

  /** One recorded request. */
  record Request(String path, String contentType, String authorization, byte[] body) {}

  /** A reply: status and body. */
  record Reply(int status, byte[] body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  StubServer(Function<byte[], Reply> reply) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.add(new Request(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Content-Type"),
          ex.getRequestHeaders().getFirst("Authorization"), body));
      Reply r = reply.apply(body);
      ex.sendResponseHeaders(r.status(), r.body().length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(r.body());
      }
    });
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
