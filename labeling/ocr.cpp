#include "ocr.h"

#include "core/logging.h"

#include <QFileInfo>
#include <QImageReader>
#include <QRegularExpression>
#include <QThread>

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <thread>
#include <unistd.h>

namespace annotune::labeling {

using namespace annotune::core;

namespace {

constexpr double kDefaultDpi = 300;

// One Tesseract engine: not thread-safe, so each worker thread owns one.
class Engine {
public:
    // Loads the model; false when Tesseract has none for the language.
    bool init(const OcrOptions &options)
    {
        // Tesseract prints its own complaints on stderr; the caller reports errors as values.
        const std::vector<std::string> names{"debug_file"}, values{"/dev/null"};
        const QByteArray language = options.language.toUtf8();
        if (m_api.Init(nullptr, language.constData(), tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values, false) != 0)
            return false;
        m_api.SetPageSegMode(static_cast<tesseract::PageSegMode>(options.pageSegMode));
        return true;
    }

    OcrPage read(const QImage &image, double dpi)
    {
        OcrPage page;
        const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
        m_api.SetImage(gray.constBits(), gray.width(), gray.height(), 1, int(gray.bytesPerLine()));
        m_api.SetSourceResolution(int(dpi > 0 ? dpi : resolutionOf(image)));
        if (m_api.Recognize(nullptr) != 0) {
            page.error = QStringLiteral("Tesseract could not read the page");
            return page;
        }
        collectWords(page.words);
        m_api.Clear();
        if (page.words.isEmpty())
            page.note = QStringLiteral("no text found");
        return page;
    }

    ~Engine() { m_api.End(); }

private:
    static double resolutionOf(const QImage &image)
    {
        const double dpi = image.dotsPerMeterX() * 0.0254;
        return (dpi >= 70 && dpi <= 2400) ? dpi : kDefaultDpi;
    }

    void collectWords(QVector<Word> &words)
    {
        std::unique_ptr<tesseract::ResultIterator> it(m_api.GetIterator());
        if (!it)
            return;
        const auto level = tesseract::RIL_WORD;
        do {
            std::unique_ptr<char[]> text(it->GetUTF8Text(level));
            const QString word = QString::fromUtf8(text.get()).trimmed();
            int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            if (word.isEmpty() || !it->BoundingBox(level, &x0, &y0, &x1, &y1))
                continue;
            Word w;
            w.index = int(words.size());
            w.text = word;
            w.box = QRectF(x0, y0, x1 - x0, y1 - y0);
            w.confidence = qBound(0.0, double(it->Confidence(level)) / 100.0, 1.0);
            w.source = WordSource::Ocr;
            words.append(w);
        } while (it->Next(level));
    }

    tesseract::TessBaseAPI m_api;
};

QImage loadPage(const OcrSource &source, QString &error)
{
    QImageReader reader(source.path);
    reader.setAutoTransform(true);
    if (source.frame > 0 && !reader.jumpToImage(source.frame)) {
        error = QStringLiteral("%1: no page %2 in the file").arg(source.path).arg(source.frame + 1);
        return {};
    }
    QImage image = reader.read();
    if (image.isNull())
        error = QStringLiteral("%1: cannot decode (%2)").arg(source.path, reader.errorString());
    return image;
}

Error unknownLanguage(const QString &language)
{
    return makeError(ErrorCode::NotFound,
                     QStringLiteral("OCR language '%1': Tesseract has no model for it (install tesseract-ocr-%2)")
                         .arg(language, language.section(QLatin1Char('+'), 0, 0)));
}

// Folders Tesseract looks in for models: TESSDATA_PREFIX, else where Debian and source builds put them.
QStringList modelFolders()
{
    const QString prefix = qEnvironmentVariable("TESSDATA_PREFIX");
    if (!prefix.isEmpty())
        return {prefix, prefix + QStringLiteral("/tessdata")};
    return {QStringLiteral("/usr/share/tesseract-ocr/5/tessdata"), QStringLiteral("/usr/share/tesseract-ocr/4.00/tessdata"),
            QStringLiteral("/usr/share/tessdata"), QStringLiteral("/usr/local/share/tessdata")};
}

// False when a model folder exists but holds no model for one of the languages; checked before
// asking Tesseract, which prints its own complaints on stderr when a model is missing.
bool modelsPresent(const QString &language)
{
    QStringList folders;
    for (const QString &f : modelFolders())
        if (QFileInfo(f).isDir())
            folders << f;
    if (folders.isEmpty())
        return true; // unknown layout: let Tesseract decide
    for (const QString &code : language.split(QLatin1Char('+'))) {
        const auto has = [&](const QString &f) { return QFileInfo::exists(f + QLatin1Char('/') + code + QStringLiteral(".traineddata")); };
        if (std::none_of(folders.cbegin(), folders.cend(), has))
            return false;
    }
    return true;
}

} // namespace

Status checkOcrLanguage(const QString &language)
{
    static const QRegularExpression wellFormed(QStringLiteral("^[A-Za-z0-9_]+(\\+[A-Za-z0-9_]+)*$"));
    if (!wellFormed.match(language).hasMatch())
        return makeError(ErrorCode::Usage, QStringLiteral("OCR language '%1': expected Tesseract codes such as eng "
                                                          "or eng+deu").arg(language));
    OcrOptions options;
    options.language = language;
    Engine engine;
    if (!modelsPresent(language) || !engine.init(options))
        return unknownLanguage(language);
    return {};
}

Result<QVector<OcrPage>> recognizePages(const QVector<OcrSource> &pages, const OcrOptions &options,
                                        const ProgressFn &progress, const CancelFlag *cancel)
{
    if (Status lang = checkOcrLanguage(options.language); !lang)
        return lang.error();
    QVector<OcrPage> out(pages.size());
    const int workers = int(qMin<qsizetype>(options.threads > 0 ? options.threads : QThread::idealThreadCount(),
                                            pages.size()));
    std::atomic_int next = 0, done = 0;
    std::atomic_bool initFailed = false;
    auto work = [&] {
        Engine engine;
        if (!engine.init(options)) {
            initFailed = true;
            return;
        }
        for (int i = next++; i < pages.size() && !cancelled(cancel); i = next++) {
            QString error;
            const QImage image = loadPage(pages[i], error);
            out[i] = image.isNull() ? OcrPage{{}, {}, error} : engine.read(image, pages[i].dpi);
            const int n = ++done;
            if (progress)
                progress(n, pages.size());
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < workers; ++t)
        threads.emplace_back(work);
    for (std::thread &t : threads)
        t.join();
    if (cancelled(cancel))
        return makeError(ErrorCode::Cancelled, QStringLiteral("OCR cancelled after %1 of %2 pages")
                                                   .arg(done.load()).arg(pages.size()));
    if (initFailed)
        return unknownLanguage(options.language);
    logger("labeling.ocr")->debug("read {} pages with {} workers", pages.size(), workers);
    return out;
}

Result<OcrPage> recognizeImage(const QImage &image, const OcrOptions &options, double dpi)
{
    if (Status lang = checkOcrLanguage(options.language); !lang)
        return lang.error();
    Engine engine;
    if (!engine.init(options))
        return unknownLanguage(options.language);
    return engine.read(image, dpi);
}

void ensureSingleThreadedOcr(char **argv)
{
    if (std::getenv("OMP_THREAD_LIMIT"))
        return;
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    // Marks the limit as ours, so child processes that train (libtorch's OpenMP pool spins forever
    // under a limit of 1) are started without it.
    ::setenv(kOcrThreadLimitMarker, "1", 1);
    ::execv("/proc/self/exe", argv); // only returns when the restart failed: run on, just slower
}

} // namespace annotune::labeling
