// A stand-in for `annotune-cli train --events jsonl` printing canned event lines, for the client
// tests. Modes: normal (good, malformed, split and over-long lines, then finished), wait (waits for
// "cancel" on stdin or SIGTERM, then reports cancelled), stubborn (ignores both), crash (dies
// after starting run RUN_ID). When FAKE_WORKER_MODE is set (a GUI passes its own arguments), it
// gives the mode and FAKE_WORKER_RUN the run id.

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

volatile std::sig_atomic_t g_term = 0;
void onTerm(int) { g_term = 1; }

void say(const char *text)
{
    std::fputs(text, stdout);
    std::fflush(stdout);
}

void nap() { std::this_thread::sleep_for(std::chrono::milliseconds(30)); }

} // namespace

int main(int argc, char **argv)
{
    const char *envMode = std::getenv("FAKE_WORKER_MODE");
    const char *envRun = std::getenv("FAKE_WORKER_RUN");
    const std::string mode = envMode ? envMode : argc > 1 ? argv[1] : "normal";
    const std::string run = envMode ? (envRun ? envRun : "5") : argc > 2 ? argv[2] : "5";
    std::fprintf(stderr, "fake worker: %s\n", mode.c_str());
    say(("{\"event\":\"started\",\"run\":" + run + ",\"device\":\"cpu\",\"total_steps\":4}\n").c_str());
    if (mode == "normal") {
        say("{\"event\":\"progress\",\"step\":1,\"total_steps\":4,\"loss\":2.5}\n");
        say("this is not json\n");
        say("{\"event\":\"progr");
        nap();
        say("ess\",\"step\":2,\"total_steps\":4,\"loss\":2.0}\n{\"event\":\"metric\",\"name\":\"map50\",\"value\":0.5,\"step\":2}\n");
        say(("{\"event\":\"progress\",\"pad\":\"" + std::string(5000, 'x') + "\"}\n").c_str());
        say("{\"event\":\"checkpoint\",\"step\":2,\"path\":\"/tmp/ck.pt\"}\n");
        say("{\"event\":\"unknown\"}\n");
        say("{\"event\":\"finished\",\"run\":5,\"status\":\"finished\",\"step\":4}");
        return 0;
    }
    if (mode == "crash") {
        say("{\"event\":\"progress\",\"step\":1,\"total_steps\":4,\"loss\":2.5}\n");
        std::abort();
    }
    if (mode == "stubborn") {
        std::signal(SIGTERM, SIG_IGN);
        for (;;)
            nap();
    }
    std::signal(SIGTERM, onTerm);
    std::thread([] {
        std::string line;
        while (std::getline(std::cin, line))
            if (line == "cancel")
                g_term = 1;
    }).detach();
    while (!g_term)
        nap();
    say("{\"event\":\"checkpoint\",\"step\":1,\"path\":\"/tmp/ck.pt\"}\n");
    say(("{\"event\":\"finished\",\"run\":" + run + ",\"status\":\"cancelled\",\"step\":1}\n").c_str());
    return 0;
}
