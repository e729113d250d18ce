package example.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** One connection to a {@link KvServer} through an {@link EmbeddedChannel}: bytes in, reply bytes out. */
final class KvClient {
    final EmbeddedChannel channel;

    KvClient(KvServer server) {
        channel = new EmbeddedChannel(false, false, server.childHandler());
        // Unpooled heap buffers: every byte the pipeline reserves shows in the thread's allocation count.
        channel.config().setAllocator(new UnpooledByteBufAllocator(false));
        try {
            channel.register(); // the connection becomes active, as an accepted one does
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code request} as it is and returns every reply byte written since, as ISO-8859-1 text. */
    String send(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        return replies();
    }

    /** Sends one command in RESP's multibulk form. */
    String command(String... words) {
        return send(multibulk(words));
    }

    String replies() {
        StringBuilder text = new StringBuilder();
        for (ByteBuf reply; (reply = channel.readOutbound()) != null; ) {
            text.append(reply.toString(StandardCharsets.ISO_8859_1));
            reply.release();
        }
        return text.toString();
    }

    static String multibulk(String... words) {
        StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            request.append('$').append(word.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(word).append("\r\n");
        }
        return request.toString();
    }
}
