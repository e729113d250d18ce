package dev.libos.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.bench.report.Measurement.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

    @Test
    void headerIsExact() {
        assertEquals("suite,operation,baseline,libos_value,baseline_value,unit,speedup\n", CsvWriter.write(List.of()));
    }

    @Test
    void writesValuesAndQuotesFieldsThatNeedIt() {
        Measurement libos = new Measurement("sched", "Echo.rt[conns=8,size=64]", "libos", Mode.TIME_PER_OP, 100, 3, "ns/op");
        Measurement base = new Measurement("sched", "Echo.rt[conns=8,size=64]", "say \"hi\"", Mode.TIME_PER_OP, 250.5, 3, "ns/op");
        String csv = CsvWriter.write(List.of(new Comparison("sched", libos.operation(), base.impl(), libos, base)));
        assertEquals(CsvWriter.HEADER + "\n"
                + "sched,\"Echo.rt[conns=8,size=64]\",\"say \"\"hi\"\"\",100,250.5,ns/op,2.505\n", csv);
    }

    @Test
    void missingSidesAreEmptyFields() {
        Measurement base = new Measurement("sched", "Mutex.uncontended", "synchronized", Mode.TIME_PER_OP, 20, 1, "ns/op");
        Measurement libos = new Measurement("sched", "Spawn.spawnJoin", "libos", Mode.TIME_PER_OP, 1234.5678, 1, "ns/op");
        String csv = CsvWriter.write(List.of(
                new Comparison("sched", "Mutex.uncontended", "synchronized", null, base),
                new Comparison("sched", "Spawn.spawnJoin", null, libos, null)));
        assertEquals(CsvWriter.HEADER + "\n"
                + "sched,Mutex.uncontended,synchronized,,20,ns/op,\n"
                + "sched,Spawn.spawnJoin,,1234.57,,ns/op,\n", csv);
    }

    @Test
    void fieldQuotingFollowsRfc4180() {
        assertEquals("plain", CsvWriter.field("plain"));
        assertEquals("", CsvWriter.field(null));
        assertEquals("\"a\nb\"", CsvWriter.field("a\nb"));
        assertEquals("\"a\"\"b\"", CsvWriter.field("a\"b"));
    }
}
