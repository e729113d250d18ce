package example.kv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;

/**
 * One connection's command loop: runs each {@link RespCommand} the decoder passes up, gathers the
 * replies of one read in one buffer and writes it when the read is complete (so a pipelined
 * batch costs one write). A {@link RespProtocolError} gets its error reply, then the connection
 * is closed; QUIT likewise after +OK. While the connection's outbound buffer is over its high
 * water mark (a client that sends without reading replies), reading from it pauses.
 */
final class KvHandler extends ChannelInboundHandlerAdapter {
    private final KvCommands commands;
    private final KvStats stats;
    private ByteBuf replies;
    private boolean closing;

    KvHandler(KvCommands commands, KvStats stats) {
        this.commands = commands;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connectionsReceived.increment();
        stats.connectedClients.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.connectedClients.decrement();
        if (replies != null) {
            replies.release();
            replies = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (closing) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof RespCommand command) {
            if (commands.execute(command, replies(ctx)) == KvCommands.Outcome.CLOSE) {
                closeAfterReplies(ctx);
            }
        } else if (message instanceof RespProtocolError error) {
            stats.protocolErrors.increment();
            if (error.overLimit()) {
                stats.limitRefusals.increment();
            }
            RespReplies.error(replies(ctx), error.message());
            closeAfterReplies(ctx);
        } else {
            ctx.fireChannelRead(message);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (replies != null) {
            ByteBuf batch = replies;
            replies = null;
            ctx.writeAndFlush(batch, ctx.voidPromise());
            if (!ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!closing) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) { // a reset by the peer is an ordinary end of a connection
            stats.internalErrors.increment();
            System.err.println("kv: closing " + ctx.channel() + ": " + cause);
        }
        ctx.close();
    }

    private ByteBuf replies(ChannelHandlerContext ctx) {
        if (replies == null) {
            replies = ctx.alloc().ioBuffer();
        }
        return replies;
    }

    private void closeAfterReplies(ChannelHandlerContext ctx) {
        closing = true;
        ByteBuf last = replies == null ? Unpooled.EMPTY_BUFFER : replies;
        replies = null;
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }
}
