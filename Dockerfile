# Alliance FHIR Server image: builds the Spring Boot jar with Maven, then runs it on a JRE as a non-root user.
# Defaults to an H2 file database in /app/data; docker-compose.yml points it at PostgreSQL instead.

# --- Stage 1: build -------------------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build

# Dependencies first, so this layer is rebuilt only when pom.xml changes.
COPY pom.xml .
RUN mvn -B dependency:go-offline

COPY src src
COPY profiles profiles
RUN mvn -B -DskipTests package

# --- Stage 2: runtime -----------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 fhir \
	&& useradd --system --uid 10001 --gid fhir --home-dir /app --no-create-home --shell /usr/sbin/nologin fhir

WORKDIR /app

# target/*.jar matches only the Spring Boot repackaged jar (the plain one is named *.jar.original);
# should a second jar ever appear, COPY fails because the target is not a directory.
COPY --from=build /build/target/*.jar /tmp/server.jar

# Faster start (bench/README.md): the jar extracted into plain jars (app.jar + lib/; loading classes from nested jars
# costs about a third of the start-up CPU), and a class-data-sharing archive of the classes a training start loads.
# The training start stops once the context is refreshed (content installed into a throw-away H2 database).
# JDK 17 crashes while archiving this application's lambda proxy classes, so the class list leaves them out.
RUN java -Djarmode=tools -jar /tmp/server.jar extract --destination /app --application-filename app.jar \
	&& java -XX:DumpLoadedClassList=/tmp/classes.lst -Dspring.context.exit=onRefresh -jar /app/app.jar \
		--server.port=0 --server.address=127.0.0.1 --spring.datasource.url=jdbc:h2:file:/tmp/training/fhir \
		> /tmp/training.log 2>&1 \
	&& grep -v '^@lambda-proxy' /tmp/classes.lst > /tmp/classes-archived.lst \
	&& java -Xshare:dump -XX:SharedClassListFile=/tmp/classes-archived.lst -XX:SharedArchiveFile=/app/app.jsa \
		-cp /app/app.jar > /tmp/dump.log 2>&1 \
	&& rm -rf /tmp/server.jar /tmp/classes*.lst /tmp/training /tmp/*.log

# H2's default data directory (DATA_DIR=./data relative to /app); the only path the server writes to.
RUN mkdir -p /app/data && chown fhir:fhir /app/data

USER fhir

# The serial collector: on 2 cores G1's concurrent threads and barriers cost about a sixth of the start-up's CPU,
# with no loss of throughput in scored POSTs (bench/README.md §19); the JVM picks it by itself below 2 CPUs or 1.8 GB.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"
# Reachable through a published port. Without ALLIANCE_SECURITY_ISSUER the server then refuses to start, unless
# ALLIANCE_SECURITY_ALLOW_UNAUTHENTICATED_NETWORK=true (as docker-compose.yml sets, publishing on loopback only).
ENV SERVER_ADDRESS=0.0.0.0
EXPOSE 8080

# The Ubuntu-based eclipse-temurin images install curl (and wget). Start-up took 15-28 s on 2 quiet cores
# (bench/README.md §14, §16), much longer on a busy host.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
	CMD curl -fsS "http://127.0.0.1:${PORT:-8080}/actuator/health/readiness" > /dev/null || exit 1

# exec makes java PID 1, so it receives SIGTERM from docker stop and shuts down cleanly. -Xshare:auto starts without
# the archive (only slower) should it not match the JVM.
ENTRYPOINT ["sh", "-c", "exec java -XX:SharedArchiveFile=/app/app.jsa -Xshare:auto $JAVA_OPTS -jar app.jar"]
