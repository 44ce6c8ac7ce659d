package keyboss.charts.model;

import java.io.StringReader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's character source over a whole document held in memory, with the same line and
 * column bookkeeping as {@link StreamReader}.
 *
 * <p>Why: {@link StreamReader} reads 1023 characters at a time and copies every character not yet
 * consumed on each read. While the scanner looks ahead through one long scalar nothing is
 * consumed, so a value of n characters costs n²/1023 copies (4 MB: 12 s). Here every look-ahead
 * is an array access. The caller has already checked that every character is printable, which
 * {@link StreamReader} would check while reading.
 */
public final class CodePointReader extends StreamReader {

    private final int[] text;
    private final int length;
    private int pointer;
    private int index;
    private int documentIndex;
    private int line;
    private int column;

    public CodePointReader(int[] codePoints) {
        super(new StringReader(""));
        this.text = codePoints;
        this.length = codePoints.length;
    }

    @Override
    public Mark getMark() {
        return new Mark("input", index, line, column, text, Math.min(pointer, length));
    }

    @Override
    public void forward() {
        forward(1);
    }

    @Override
    public void forward(int count) {
        for (int i = 0; i < count && pointer < length; i++) {
            int ch = text[pointer++];
            index++;
            documentIndex++;
            // A lone CR ends a line; CR LF ends it at the LF.
            if (Constant.LINEBR.has(ch) || (ch == '\r' && pointer < length && text[pointer] != '\n')) {
                line++;
                column = 0;
            } else if (ch != '\uFEFF') {
                column++;
            }
        }
    }

    @Override
    public int peek() {
        return pointer < length ? text[pointer] : '\0';
    }

    @Override
    public int peek(int ahead) {
        long at = (long) pointer + ahead;
        return at < length ? text[(int) at] : '\0';
    }

    @Override
    public String prefix(int count) {
        if (count == 0 || pointer >= length) {
            return "";
        }
        return new String(text, pointer, Math.min(count, length - pointer));
    }

    /** The scanner calls this only for characters that contain no line break. */
    @Override
    public String prefixForward(int count) {
        String prefix = prefix(count);
        pointer += count;
        index += count;
        documentIndex += count;
        column += count;
        return prefix;
    }

    @Override
    public int getColumn() {
        return column;
    }

    @Override
    public int getDocumentIndex() {
        return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
        documentIndex = 0;
    }

    @Override
    public int getIndex() {
        return index;
    }

    @Override
    public int getLine() {
        return line;
    }
}
