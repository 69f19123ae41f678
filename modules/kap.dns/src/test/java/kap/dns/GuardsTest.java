package kap.dns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GuardsTest {

    private static final long SECOND = 1_000_000_000L;

    @Nested
    class ZoneBudgets {
        private final ZoneBudget budget = new ZoneBudget();

        @Test
        void admitsUpToTheBudgetThenRefusesNewNamesAndAlertsOncePerMinute() {
            List<ZoneBudget.Verdict> verdicts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                verdicts.add(budget.charge("*.z.test", i + ".z.test", 3, 0));
            }
            assertThat(verdicts, contains(ZoneBudget.Verdict.ADMIT, ZoneBudget.Verdict.ADMIT,
                    ZoneBudget.Verdict.ADMIT, ZoneBudget.Verdict.REFUSE_AND_ALERT, ZoneBudget.Verdict.REFUSE));
            assertThat(budget.charge("*.z.test", "1.z.test", 3, SECOND), is(ZoneBudget.Verdict.ADMIT));
            assertThat(budget.charge("*.z.test", "9.z.test", 3, 30 * SECOND), is(ZoneBudget.Verdict.REFUSE));
            assertThat(budget.charge("*.z.test", "9.z.test", 3, 61 * SECOND), is(ZoneBudget.Verdict.ADMIT));
        }

        @Test
        void keepsABudgetPerZone() {
            budget.charge("*.a.test", "1.a.test", 1, 0);
            assertThat(budget.charge("*.a.test", "2.a.test", 1, 0), is(ZoneBudget.Verdict.REFUSE_AND_ALERT));
            assertThat(budget.charge("*.b.test", "2.b.test", 1, 0), is(ZoneBudget.Verdict.ADMIT));
        }

        @Test
        void alertsAgainInTheNextMinute() {
            budget.charge("*.a.test", "1.a.test", 1, 0);
            budget.charge("*.a.test", "2.a.test", 1, 0);
            budget.charge("*.a.test", "3.a.test", 1, 59 * SECOND);
            assertThat(budget.charge("*.a.test", "4.a.test", 1, 59 * SECOND), is(ZoneBudget.Verdict.REFUSE));
            budget.charge("*.a.test", "5.a.test", 1, 61 * SECOND);
            assertThat(budget.charge("*.a.test", "6.a.test", 1, 62 * SECOND), is(ZoneBudget.Verdict.REFUSE_AND_ALERT));
        }
    }

    @Nested
    class ClientRates {
        private final ClientRateLimiter limiter = new ClientRateLimiter();
        private final InetAddress client = InetAddress.getLoopbackAddress();

        @Test
        void allowsABurstOfOneSecondThenRefillsAtTheRate() {
            for (int i = 0; i < 10; i++) {
                assertThat(limiter.acquire(client, 10, 0), is(ClientRateLimiter.Verdict.PASS));
            }
            assertThat(limiter.acquire(client, 10, 0), is(ClientRateLimiter.Verdict.REFUSE_AND_AUDIT));
            assertThat(limiter.acquire(client, 10, 0), is(ClientRateLimiter.Verdict.REFUSE));
            assertThat(limiter.acquire(client, 10, SECOND / 10), is(ClientRateLimiter.Verdict.PASS));
            assertThat("audited at most once a second", limiter.acquire(client, 10, SECOND / 10),
                    is(ClientRateLimiter.Verdict.REFUSE));
            for (int i = 0; i < 10; i++) {
                limiter.acquire(client, 10, 2 * SECOND);
            }
            assertThat(limiter.acquire(client, 10, 2 * SECOND), is(ClientRateLimiter.Verdict.REFUSE_AND_AUDIT));
        }

        @Test
        void keepsABucketPerClient() throws Exception {
            limiter.acquire(client, 1, 0);
            assertThat(limiter.acquire(client, 1, 0), is(ClientRateLimiter.Verdict.REFUSE_AND_AUDIT));
            assertThat(limiter.acquire(InetAddress.getByName("127.0.0.2"), 1, 0), is(ClientRateLimiter.Verdict.PASS));
        }

        @Test
        void forgetsIdleClientsWhenTheTableIsFull() throws Exception {
            for (int i = 0; i < ClientRateLimiter.MAX_CLIENTS + 10; i++) {
                byte[] b = {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
                limiter.acquire(InetAddress.getByAddress(b), 5, i < ClientRateLimiter.MAX_CLIENTS ? 0 : 120 * SECOND);
            }
            assertThat(limiter.acquire(client, 5, 120 * SECOND), is(ClientRateLimiter.Verdict.PASS));
        }
    }

    @Nested
    class Names {
        @Test
        void findsSearchDomainsOnLabelBoundaries() {
            assertThat(NameGuard.searchDomain("github.com.corp.example", List.of("corp.example")).isPresent(),
                    is(true));
            assertThat(NameGuard.searchDomain("notcorp.example", List.of("corp.example")).isPresent(), is(false));
        }

        @Test
        void treatsSpecialUseSuffixesOnLabelBoundaries() {
            var policy = PolicyFixtures.allowing("*.example.com");
            assertThat(NameGuard.checkName("a.localhost", policy, Wire.NXDOMAIN).isPresent(), is(true));
            assertThat(NameGuard.checkName("x.home.arpa", policy, Wire.NXDOMAIN).isPresent(), is(true));
            assertThat(NameGuard.checkName("mylocal.example.com", policy, Wire.NXDOMAIN).isPresent(), is(false));
        }
    }
}
