package kap.remote;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the phone's live stream carries: audit events from every sidecar and changes to approval requests, each with
 * a sequence number, so a phone that reconnects asks for what it missed ({@code Last-Event-ID}). The last
 * {@link #MAX_ITEMS} are kept.
 *
 * <p>Thread-safe.
 */
final class EventHub {

    /** Items kept for reconnecting phones and the logs tab. */
    static final int MAX_ITEMS = 2000;

    private final Deque<Item> items = new ArrayDeque<>();
    private final List<Consumer<Item>> subscribers = new CopyOnWriteArrayList<>();
    private long seq;

    /** Publishes an item to everyone subscribed. */
    void publish(String kind, ObjectNode data) {
        Item item;
        synchronized (this) {
            item = new Item(++seq, kind, data);
            items.addLast(item);
            if (items.size() > MAX_ITEMS) {
                items.removeFirst();
            }
        }
        subscribers.forEach(s -> s.accept(item));
    }

    /** Items after a sequence number that pass a filter, at most the last {@code limit}. */
    synchronized List<Item> since(long after, Predicate<Item> filter, int limit) {
        Deque<Item> result = new ArrayDeque<>();
        for (Item i : items) {
            if (i.seq() > after && filter.test(i)) {
                result.addLast(i);
                if (result.size() > limit) {
                    result.removeFirst();
                }
            }
        }
        return new ArrayList<>(result);
    }

    AutoCloseable subscribe(Consumer<Item> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * One thing that happened.
     *
     * @param seq sequence number, increasing
     * @param kind {@code audit} or {@code request}
     * @param data the JSON payload
     */
    record Item(long seq, String kind, ObjectNode data) {

        /** The SSE frame. */
        String frame() {
            return "id: " + seq + "\nevent: " + kind + "\ndata: " + data + "\n\n";
        }
    }
}
