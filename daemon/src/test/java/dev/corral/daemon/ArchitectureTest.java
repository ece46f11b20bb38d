package dev.corral.daemon;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.corral.core.CorralException;
import dev.corral.supervisor.event.EventLog;
import dev.corral.supervisor.loop.EventLoop;
import dev.corral.supervisor.loop.Ring;
import dev.corral.supervisor.model.Container;
import dev.corral.supervisor.model.ContainerTable;
import dev.corral.supervisor.model.StatusWriter;
import dev.corral.supervisor.thread.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The design's module graph and its "nevers", checked on the compiled classes of every module (this
 * module's test classpath holds them all), so a change that breaks one fails the build.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.corral");
  }

  /**
   * Every allowed module dependency: daemon → api-http → supervisor → runtime, monitor, state,
   * metrics; monitor → runtime; core below all; cli → core only. Nothing else.
   */
  @Test
  void modulesDependOnlyAlongTheDesignedGraph() {
    ArchRule rule =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("core")
            .definedBy("dev.corral.core..")
            .layer("runtime")
            .definedBy("dev.corral.runtime..")
            .layer("monitor")
            .definedBy("dev.corral.monitor..")
            .layer("state")
            .definedBy("dev.corral.state..")
            .layer("metrics")
            .definedBy("dev.corral.metrics..")
            .layer("supervisor")
            .definedBy("dev.corral.supervisor..")
            .layer("api")
            .definedBy("dev.corral.api..")
            .layer("daemon")
            .definedBy("dev.corral.daemon..")
            .layer("cli")
            .definedBy("dev.corral.cli..")
            .whereLayer("daemon")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("cli")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("api")
            .mayOnlyBeAccessedByLayers("daemon")
            .whereLayer("supervisor")
            .mayOnlyBeAccessedByLayers("api", "daemon")
            .whereLayer("runtime")
            .mayOnlyBeAccessedByLayers("monitor", "supervisor", "daemon")
            .whereLayer("monitor")
            .mayOnlyBeAccessedByLayers("supervisor", "daemon")
            .whereLayer("state")
            .mayOnlyBeAccessedByLayers("supervisor", "daemon")
            .whereLayer("metrics")
            .mayOnlyBeAccessedByLayers("supervisor", "api", "daemon")
            .whereLayer("core")
            .mayNotAccessAnyLayer()
            .whereLayer("runtime")
            .mayOnlyAccessLayers("core")
            .whereLayer("monitor")
            .mayOnlyAccessLayers("core", "runtime")
            .whereLayer("state")
            .mayOnlyAccessLayers("core")
            .whereLayer("metrics")
            .mayOnlyAccessLayers("core")
            .whereLayer("supervisor")
            .mayOnlyAccessLayers("core", "runtime", "monitor", "state", "metrics")
            .whereLayer("api")
            .mayOnlyAccessLayers("core", "metrics", "supervisor")
            .whereLayer("cli")
            .mayOnlyAccessLayers("core");
    rule.check(main);
  }

  @Test
  void apiNeverImportsMonitor() {
    noClasses()
        .that()
        .resideInAPackage("dev.corral.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.corral.monitor..")
        .check(main);
  }

  @Test
  void leavesNeverImportTheSupervisorTheApiOrTheDaemon() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.corral.core..",
            "dev.corral.runtime..",
            "dev.corral.monitor..",
            "dev.corral.state..",
            "dev.corral.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.corral.supervisor..", "dev.corral.api..", "dev.corral.daemon..")
        .check(main);
  }

  @Test
  void supervisorSubPackagesHaveNoCycles() {
    slices().matching("dev.corral.supervisor.(*)..").should().beFreeOfCycles().check(main);
  }

  /** The API sees the supervisor's facade, its tasks, replies and events; never its insides. */
  @Test
  void apiUsesOnlyTheSupervisorsFacadeTasksRepliesAndEvents() {
    noClasses()
        .that()
        .resideInAPackage("dev.corral.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.corral.supervisor.loop..",
            "dev.corral.supervisor.model..",
            "dev.corral.supervisor.lifecycle..",
            "dev.corral.supervisor.exit..",
            "dev.corral.supervisor.signal..",
            "dev.corral.supervisor.exec..",
            "dev.corral.supervisor.update..",
            "dev.corral.supervisor.stats..",
            "dev.corral.supervisor.checkpoint..",
            "dev.corral.supervisor.recovery..",
            "dev.corral.supervisor.io..")
        .check(main);
  }

  /** Task families never reach up into the loop: they publish through a Notifier. */
  @Test
  void familiesNeverReachTheRingOrTheLoop() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.corral.supervisor.loop..", "dev.corral.supervisor")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(Ring.class, EventLoop.class)
        .check(main);
  }

  /** A worker job never completes a reply: it publishes a result the loop delivers. */
  @Test
  void jobsNeverCompleteReplies() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Job")
        .should()
        .callMethod(Reply.class, "complete", Object.class)
        .orShould()
        .callMethod(Reply.class, "fail", CorralException.class)
        .check(main);
  }

  /** A worker job never touches loop-confined state: the table, a container, events, status. */
  @Test
  void jobsNeverTouchLoopConfinedState() {
    noClasses()
        .that()
        .haveSimpleNameEndingWith("Job")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(Container.class, ContainerTable.class, EventLog.class, StatusWriter.class)
        .check(main);
  }

  /** The monitor only observes: it knows nothing of the state dir, the supervisor or the API. */
  @Test
  void monitorOnlyObserves() {
    noClasses()
        .that()
        .resideInAPackage("dev.corral.monitor..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.corral.state..", "dev.corral.metrics..")
        .check(main);
  }
}
